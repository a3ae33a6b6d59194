//===- CYC004ExceptionKeptInFrame.cpp ----------------------------------------===//
#include "rules/cyc/CycRules.h"
#include "rules/cyc/CycSupport.h"

namespace memlint::cyc {

static const RuleInfo Info{
    "CYC004",
    "exception-kept-in-frame",
    "CYC",
    "A caught exception is stored where its own traceback can reach it",
    R"md(## What it does
Flags `except ... as exc:` handlers that keep the exception beyond the handler: on `self`
(`self.error = exc`), in a container (`errors.append(exc)`), in a global, or in another local
(`saved = exc`).

## Why is this bad?
`exc.__traceback__` references the frame that caught it, and the frame references its locals
(`self`, the container, the alias) and its globals. Storing the exception in any of those makes
a cycle: exception → traceback → frame → locals → exception. CPython deletes the `as` name at
the end of the handler precisely to avoid this, which the store defeats. The whole frame, with
every local in it, stays alive until the cyclic garbage collector runs (CPython's
concurrent.futures and asyncio break such cycles by hand; see `self = None` in their code).

## Example
```python
def run(self):
    try:
        self.result = self.fn()
    except Exception as exc:
        self.error = exc
```

Use instead:
```python
def run(self):
    try:
        self.result = self.fn()
    except Exception as exc:
        exc.__traceback__ = None  # or traceback.clear_frames(exc.__traceback__)
        self.error = exc
```
or store `repr(exc)` / `traceback.format_exception(exc)` instead of the object.

## Not flagged
Handlers that clear the traceback (`exc.__traceback__ = None`, `exc.with_traceback(None)`,
`traceback.clear_frames(...)`), local aliases that are deleted or re-assigned later (the
`x = None` idiom), and module-level code (the module frame lives as long as the module).
)md",
    Severity::Warning,
    true,
    FixAvailability::None,
    /*ProjectWide=*/true};

namespace {

class ExceptionKeptInFrame : public Rule {
public:
  ExceptionKeptInFrame() : Rule(Info) {}

  void checkProject(ProjectContext &Ctx) const override {
    for (const ModuleSummary &M : Ctx.index().modules()) {
      auto Check = [&](const MethodSummary &F) {
        for (const ExceptionKeepFact &K : F.KeptExceptions) {
          Diagnostic &D = Ctx.report(
              Info, M, K.Where,
              "the caught exception `" + K.ExceptionName + "` is kept in " + K.Description +
                  ", which the frame of `" + F.Name +
                  "` reaches, while the exception's traceback references that frame: "
                  "exception → traceback → frame → " +
                  K.Description + " → exception is a cycle; " + CycleCost +
                  ". Clear the traceback (`" + K.ExceptionName +
                  ".__traceback__ = None`) or keep a description of the error instead");
          Ctx.addRelated(D, M, K.Handler, "the handler binding `" + K.ExceptionName + "`");
        }
      };
      for (const MethodSummary &F : M.Functions)
        Check(F);
      for (const ClassSummary &C : M.Classes)
        for (const MethodSummary &F : C.Methods)
          Check(F);
    }
  }
};

} // namespace

std::unique_ptr<Rule> createExceptionKeptInFrame() { return std::make_unique<ExceptionKeptInFrame>(); }

} // namespace memlint::cyc
