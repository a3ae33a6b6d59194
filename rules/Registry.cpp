#include "rules/Registry.h"

#include "llvm/ADT/STLExtras.h"

namespace memlint {

const RuleInfo IoErrorInfo{
    "E902",
    "io-error",
    "E",
    "A file could not be read or decoded",
    R"md(## What it does
Reports a file memlint was asked to check but could not read: it is missing, unreadable,
not UTF-8 (Python 3 source is UTF-8 unless a coding cookie says otherwise, and memlint
reads UTF-8 only), or it vanished during the run.

## Why is this bad?
A linter that skips a file silently gives false confidence. The rest of the run goes on; the
exit status is 2 when any file could not be read, as with flake8 and ruff.
)md",
    Severity::Error,
    true,
    FixAvailability::None};

const RuleInfo SyntaxErrorInfo{
    "E999",
    "syntax-error",
    "E",
    "The file is not valid Python 3 and was not analyzed",
    R"md(## What it does
Reports the first syntax error in a file (including Python 2 constructs such as the `print`
statement, source containing NUL bytes, and nesting too deep to analyze). No other rule runs
on that file, since their findings would be guesses.

## Example
```python
print "hello"
```

Use instead:
```python
print("hello")
```
)md",
    Severity::Error,
    true,
    FixAvailability::None};

const RuleRegistry &RuleRegistry::builtin() {
  static const RuleRegistry Registry = [] {
    RuleRegistry R;
    registerGenRules(R);
    registerCycRules(R);
    registerWrfRules(R);
    registerSltRules(R);
    registerMemRules(R);
    llvm::sort(R.Rules, [](const auto &A, const auto &B) { return A->code() < B->code(); });
    return R;
  }();
  return Registry;
}

const Rule *RuleRegistry::find(llvm::StringRef Code) const {
  for (const auto &R : Rules)
    if (R->code() == Code)
      return R.get();
  return nullptr;
}

const RuleInfo *RuleRegistry::findInfo(llvm::StringRef Code) const {
  if (const Rule *R = find(Code))
    return &R->info();
  if (Code == IoErrorInfo.Code)
    return &IoErrorInfo;
  if (Code == SyntaxErrorInfo.Code)
    return &SyntaxErrorInfo;
  return nullptr;
}

std::vector<const RuleInfo *> RuleRegistry::allInfos() const {
  std::vector<const RuleInfo *> Infos;
  for (const auto &R : Rules)
    Infos.push_back(&R->info());
  Infos.push_back(&IoErrorInfo);
  Infos.push_back(&SyntaxErrorInfo);
  return Infos;
}

Diagnostic &ModuleContext::report(const RuleInfo &Rule, TextRange Range, std::string Message) {
  Diagnostic D;
  D.Path = DisplayPath.str();
  D.Code = Rule.Code;
  D.Name = Rule.Name;
  D.Level = Rule.DefaultSeverity;
  D.Message = std::move(Message);
  D.Range = Range;
  D.Start = source().position(Range.Begin);
  D.End = source().position(Range.End);
  Out.push_back(std::move(D));
  return Out.back();
}

void ModuleContext::addEdit(Fix &F, TextRange Range, std::string Replacement) const {
  Edit E;
  E.Range = Range;
  E.Replacement = std::move(Replacement);
  E.Start = source().position(Range.Begin);
  E.End = source().position(Range.End);
  F.Edits.push_back(std::move(E));
}

Diagnostic &ProjectContext::report(const RuleInfo &Rule, const ModuleSummary &In,
                                   const SummaryLocation &At, std::string Message) {
  Diagnostic D;
  D.Path = In.Path;
  D.Code = Rule.Code;
  D.Name = Rule.Name;
  D.Level = Rule.DefaultSeverity;
  D.Message = std::move(Message);
  D.Range = At.Range;
  D.Start = At.Start;
  D.End = At.End;
  Out.push_back(std::move(D));
  return Out.back();
}

void ProjectContext::addRelated(Diagnostic &D, const ModuleSummary &In, const SummaryLocation &At,
                                std::string Message) const {
  RelatedLocation L;
  L.Path = In.Path;
  L.Range = At.Range;
  L.Start = At.Start;
  L.End = At.End;
  L.Message = std::move(Message);
  D.Related.push_back(std::move(L));
}

void ModuleContext::addRelated(Diagnostic &D, TextRange Range, std::string Message) const {
  RelatedLocation L;
  L.Path = DisplayPath.str();
  L.Range = Range;
  L.Start = source().position(Range.Begin);
  L.End = source().position(Range.End);
  L.Message = std::move(Message);
  D.Related.push_back(std::move(L));
}

} // namespace memlint
