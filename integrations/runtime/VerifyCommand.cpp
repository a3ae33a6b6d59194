//===- VerifyCommand.cpp - `memlint verify` --------------------------------===//
//
// memlint verify [PATH... | --findings FILE] [OPTIONS] -- COMMAND...
//
//  1. Findings: a static check of PATH (as `memlint check` would run it, configuration
//     included), or an earlier `check --format json` report.
//  2. A private temporary directory receives the runtime helper, a sitecustomize.py that
//     loads it, and plan.json (the findings, with absolute paths).
//  3. COMMAND runs with that directory first on PYTHONPATH and MEMLINT_VERIFY_PLAN /
//     MEMLINT_VERIFY_OUT set, in its own session, under a timeout. Nothing else is run, and
//     nothing is written outside the temporary directory, which is removed afterwards.
//  4. Every Python process's observations-<pid>.json is merged per finding, judged (Report.cpp)
//     and rendered like `check`'s report, with a verdict and evidence on each finding.
//
//===----------------------------------------------------------------------===//
#include "Verify.h"

#include "analyzer/Baseline.h"
#include "analyzer/Config.h"
#include "analyzer/Discover.h"
#include "analyzer/Driver.h"
#include "analyzer/output/Output.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <optional>
#include <unistd.h>

extern char **environ;

namespace memlint::verify {
namespace {

// The helper and the sitecustomize shim, embedded at build time (EmbedPython.cmake), so the
// binary works wherever it is installed.
#include "VerifyHelperSource.inc"
#include "VerifySiteCustomize.inc"

constexpr int ExitClean = 0, ExitConfirmed = 1, ExitUsage = 2;
constexpr uint64_t DefaultMinBytes = 64 * 1024;

const char *const VerifyHelp = R"(Usage: memlint verify [PATH... | --findings FILE] [OPTIONS] -- COMMAND...

Runs COMMAND (your program or test suite) with memlint's runtime helper loaded into every
Python process it starts, and checks each static finding against what actually happened:
  confirmed      the run shows the cost (objects freed only by the cyclic garbage collector,
                 subscribers kept alive only by a registry, bytes a list materialisation took)
  refuted        the code ran and the cost did not show up (or was below --min-bytes)
  not-exercised  the flagged code never ran

Findings come from a static check of PATH (default: .) or from FILE, a report written by
`memlint check --format json`. Your files are not modified: the helper is injected through
a sitecustomize.py in a temporary directory put first on PYTHONPATH (a sitecustomize you
already have still runs). The command's output goes to standard error; standard output
carries only the report.

Options:
  --findings FILE      verify the findings of this JSON report instead of checking PATH
  --select CODES       only verify these rules (codes, prefixes or families)
  --ignore CODES       do not verify these rules
  --format FORMAT      text (default), json, sarif
  --output-file FILE   write the report to FILE
  --timeout SECONDS    stop the command's whole process group after this long (default 300;
                       0: no limit)
  --min-bytes N        memory below which a GEN/MEM/SLT cost counts as refuted (default 65536)
  --python PYTHON      interpreter for a COMMAND that starts with a script (`app.py`) or an
                       option (`-m pkg`); default python3
  --no-line-tracing    do not trace lines: about 1.2x instead of up to 3x slower on
                       call-heavy code, but GEN/MEM statements are not measured and a CYC/WRF/SLT
                       finding counts as exercised only once an instance lived to a collection
  --tmp-dir DIR        create the temporary directory in DIR (default: $TMPDIR or /tmp)
  --keep-tmp           keep the temporary directory (plan, helper, observations) and print it
  -h, --help           show this help

Exit status: 0 nothing confirmed, 1 at least one finding confirmed, 2 usage or I/O error.
The command's own exit status is reported, not returned.
)";

int usageError(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "memlint") << Message << "\n";
  llvm::errs() << "Run `memlint verify --help` for usage.\n";
  return ExitUsage;
}

struct VerifyArgs {
  std::vector<std::string> Paths;
  std::string FindingsFile;
  std::vector<std::string> Select, Ignore;
  OutputFormat Format = OutputFormat::Text;
  std::string OutputFile;
  double TimeoutSeconds = 300;
  uint64_t MinBytes = DefaultMinBytes;
  std::string Python = "python3";
  std::string TmpDir;
  bool KeepTmp = false;
  bool LineTracing = true;
  std::vector<std::string> Command;
};

void splitCodes(llvm::StringRef Value, std::vector<std::string> &Out) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Value.split(Parts, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef P : Parts)
    if (!P.trim().empty())
      Out.push_back(P.trim().upper());
}

std::optional<int> parseArgs(llvm::ArrayRef<const char *> Args, VerifyArgs &Out) {
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    if (Arg == "--") {
      for (++I; I < Args.size(); ++I)
        Out.Command.push_back(Args[I]);
      break;
    }
    llvm::StringRef Inline;
    bool HasInline = false;
    if (Arg.startswith("--") && Arg.contains('=')) {
      std::tie(Arg, Inline) = Arg.split('=');
      HasInline = true;
    }
    llvm::StringRef V;
    auto Value = [&]() -> bool {
      if (HasInline) {
        V = Inline;
        return true;
      }
      if (I + 1 >= Args.size())
        return false;
      V = Args[++I];
      return true;
    };
    if (Arg == "-h" || Arg == "--help") {
      llvm::outs() << VerifyHelp;
      return ExitClean;
    } else if (Arg == "--findings") {
      if (!Value() || V.empty())
        return usageError("--findings needs a file name");
      Out.FindingsFile = V.str();
    } else if (Arg == "--select" || Arg == "--ignore") {
      if (!Value())
        return usageError(Arg + " needs a value");
      splitCodes(V, Arg == "--select" ? Out.Select : Out.Ignore);
    } else if (Arg == "--format" || Arg == "--output-format") {
      if (!Value())
        return usageError(Arg + " needs a value");
      auto F = parseOutputFormat(V);
      if (!F || *F == OutputFormat::Github)
        return usageError("unknown format `" + V + "` for `memlint verify` (expected text, json or sarif)");
      Out.Format = *F;
    } else if (Arg == "--output-file" || Arg == "-o") {
      if (!Value() || V.empty())
        return usageError(Arg + " needs a file name");
      Out.OutputFile = V.str();
    } else if (Arg == "--timeout") {
      if (!Value() || V.getAsDouble(Out.TimeoutSeconds) || Out.TimeoutSeconds < 0)
        return usageError("--timeout needs a number of seconds (0: no limit)");
    } else if (Arg == "--min-bytes") {
      if (!Value() || V.getAsInteger(10, Out.MinBytes))
        return usageError("--min-bytes needs a number of bytes");
    } else if (Arg == "--python") {
      if (!Value() || V.empty())
        return usageError("--python needs an interpreter");
      Out.Python = V.str();
    } else if (Arg == "--tmp-dir") {
      if (!Value() || V.empty())
        return usageError("--tmp-dir needs a directory");
      Out.TmpDir = V.str();
    } else if (Arg == "--keep-tmp") {
      Out.KeepTmp = true;
    } else if (Arg == "--no-line-tracing") {
      Out.LineTracing = false;
    } else if (Arg.startswith("-") && Arg != "-") {
      return usageError("unknown option `" + Arg + "` for `memlint verify`");
    } else {
      Out.Paths.push_back(Arg.str());
    }
  }
  if (Out.Command.empty())
    return usageError("give the command to run after `--`, e.g. "
                      "`memlint verify src -- python3 -m pytest tests`");
  if (!Out.FindingsFile.empty() && !Out.Paths.empty())
    return usageError("give either PATH arguments or --findings, not both");
  if (Out.Paths.empty())
    Out.Paths.push_back(".");
  // `memlint verify -- app.py` and `-- -m pkg` run under --python.
  llvm::StringRef First = Out.Command.front();
  if (First.endswith(".py") || (First.startswith("-") && First != "-"))
    Out.Command.insert(Out.Command.begin(), Out.Python);
  return std::nullopt;
}

/// Rules with a runtime check. SLT004-SLT006 report code that fails (a class that cannot be
/// defined, an assignment or weak reference that raises), not a memory cost: nothing to measure.
bool verifiableCode(llvm::StringRef Code) {
  if (Code == "SLT004" || Code == "SLT005" || Code == "SLT006")
    return false;
  return llvm::any_of(std::initializer_list<llvm::StringRef>{"CYC", "WRF", "SLT", "GEN", "MEM"},
                      [&](llvm::StringRef F) { return Code.startswith(F); });
}

// --- findings -------------------------------------------------------------------------------

/// Runs the static check the way `memlint check PATH...` does (nearest pyproject.toml).
llvm::Expected<std::vector<Diagnostic>> checkPaths(const VerifyArgs &A, const RuleRegistry &Rules) {
  Config Cfg;
  llvm::SmallString<256> Start(A.Paths.front());
  if (!llvm::sys::fs::is_directory(Start))
    llvm::sys::path::remove_filename(Start);
  if (std::optional<std::string> ConfigPath = findConfig(Start.empty() ? "." : Start.str())) {
    auto Loaded = loadConfig(*ConfigPath, Rules);
    if (!Loaded)
      return Loaded.takeError();
    Cfg = std::move(*Loaded);
  }
  std::vector<std::string> Select = A.Select.empty() ? Cfg.Select : A.Select;
  std::vector<std::string> Ignore = Cfg.Ignore;
  Ignore.insert(Ignore.end(), A.Ignore.begin(), A.Ignore.end());
  RuleSelection Selection(Rules, Select, Cfg.ExtendSelect, Ignore);
  Discovery Files = discoverFiles(A.Paths, Cfg, /*ForceExclude=*/false);
  if (!Files.Problems.empty()) {
    const DiscoveryProblem &P = Files.Problems.front();
    return llvm::createStringError(std::errc::no_such_file_or_directory, "%s: %s",
                                   P.Path.c_str(), P.Message.c_str());
  }
  CheckContext Ctx(Rules, Cfg, Selection);
  CheckSummary Summary = runCheck(Ctx, Files, /*Threads=*/0);
  assignFingerprints(Summary.Diagnostics);
  return std::move(Summary.Diagnostics);
}

llvm::StringRef stringOr(const llvm::json::Object &O, llvm::StringRef Key,
                         llvm::StringRef Default = "") {
  return O.getString(Key).getValueOr(Default);
}

Position positionOf(const llvm::json::Object &O, llvm::StringRef Line, llvm::StringRef Column) {
  Position P;
  P.Line = static_cast<uint32_t>(O.getInteger(Line).getValueOr(1));
  P.Column = static_cast<uint32_t>(O.getInteger(Column).getValueOr(1));
  return P;
}

/// Reads a `check --format json` report (an array), or a `verify --format json` report (an
/// object with "findings"). Code and name strings are kept in Saver.
llvm::Expected<std::vector<Diagnostic>> loadFindings(llvm::StringRef File, const RuleRegistry &Rules,
                                                     llvm::StringSaver &Saver) {
  auto Buffer = llvm::MemoryBuffer::getFileOrSTDIN(File);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "%s: cannot read: %s", File.str().c_str(),
                                   Buffer.getError().message().c_str());
  llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse((*Buffer)->getBuffer());
  if (!Parsed)
    return llvm::createStringError(std::errc::invalid_argument, "%s: not JSON: %s",
                                   File.str().c_str(), llvm::toString(Parsed.takeError()).c_str());
  const llvm::json::Array *Items = Parsed->getAsArray();
  if (!Items)
    if (const llvm::json::Object *O = Parsed->getAsObject())
      Items = O->getArray("findings");
  if (!Items)
    return llvm::createStringError(std::errc::invalid_argument,
                                   "%s: expected the JSON report of `memlint check --format json`",
                                   File.str().c_str());
  std::vector<Diagnostic> Diags;
  for (const llvm::json::Value &Item : *Items) {
    const llvm::json::Object *O = Item.getAsObject();
    llvm::StringRef Path = O ? stringOr(*O, "path") : "";
    llvm::StringRef Code = O ? stringOr(*O, "code") : "";
    if (Path.empty() || Code.empty())
      return llvm::createStringError(std::errc::invalid_argument,
                                     "%s: a finding without `path` or `code`", File.str().c_str());
    Diagnostic D;
    D.Path = Path.str();
    const RuleInfo *Info = Rules.findInfo(Code);
    D.Code = Info ? llvm::StringRef(Info->Code) : Saver.save(Code);
    D.Name = Info ? llvm::StringRef(Info->Name) : Saver.save(stringOr(*O, "name"));
    D.Message = stringOr(*O, "message").str();
    llvm::StringRef Level = stringOr(*O, "severity", "warning");
    D.Level = Level == "error" ? Severity::Error : Level == "info" ? Severity::Info : Severity::Warning;
    D.Start = positionOf(*O, "line", "column");
    D.End = positionOf(*O, "end_line", "end_column");
    D.Fingerprint = stringOr(*O, "fingerprint").str();
    if (const llvm::json::Array *Related = O->getArray("related"))
      for (const llvm::json::Value &RV : *Related)
        if (const llvm::json::Object *R = RV.getAsObject()) {
          RelatedLocation L;
          L.Path = stringOr(*R, "path", D.Path).str();
          L.Start = positionOf(*R, "line", "column");
          L.End = positionOf(*R, "end_line", "end_column");
          L.Message = stringOr(*R, "message").str();
          D.Related.push_back(std::move(L));
        }
    if (const llvm::json::Array *Edits = O->getArray("fix")) {
      Fix F;
      F.Title = stringOr(*O, "fix_title").str();
      F.Safety = stringOr(*O, "fix_applicability") == "safe" ? Applicability::Safe
                                                              : Applicability::Unsafe;
      for (const llvm::json::Value &EV : *Edits)
        if (const llvm::json::Object *E = EV.getAsObject()) {
          Edit Ed;
          Ed.Start = positionOf(*E, "line", "column");
          Ed.End = positionOf(*E, "end_line", "end_column");
          Ed.Replacement = stringOr(*E, "content").str();
          F.Edits.push_back(std::move(Ed));
        }
      D.FixIt = std::move(F);
    }
    Diags.push_back(std::move(D));
  }
  return Diags;
}

// --- the temporary directory ----------------------------------------------------------------

/// The absolute, symlink-free form of a finding's path, the way the helper normalises code
/// file names. Relative paths are tried against the current directory, then against the
/// directory of the findings file.
std::string absolutePath(llvm::StringRef Path, llvm::StringRef FindingsDir) {
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(Path, Real))
    return Real.str().str();
  if (!FindingsDir.empty() && llvm::sys::path::is_relative(Path)) {
    llvm::SmallString<256> Joined(FindingsDir);
    llvm::sys::path::append(Joined, Path);
    if (!llvm::sys::fs::real_path(Joined, Real))
      return Real.str().str();
  }
  llvm::SmallString<256> Abs(Path);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return Abs.str().str();
}

llvm::Error writeFile(llvm::StringRef Path, llvm::StringRef Contents) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_None);
  if (EC)
    return llvm::createStringError(EC, "%s: cannot write: %s", Path.str().c_str(),
                                   EC.message().c_str());
  OS << Contents;
  OS.close();
  if (OS.has_error())
    return llvm::createStringError(OS.error(), "%s: cannot write", Path.str().c_str());
  return llvm::Error::success();
}

std::string planJson(llvm::ArrayRef<VerifiedFinding> Findings, llvm::StringRef FindingsDir,
                     bool LineTracing) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  llvm::json::OStream J(OS);
  J.object([&] {
    J.attribute("version", 1);
    J.attribute("line_tracing", LineTracing);
    J.attributeArray("findings", [&] {
      for (size_t I = 0; I < Findings.size(); ++I) {
        const VerifiedFinding &F = Findings[I];
        if (!F.Verifiable)
          continue;
        const Diagnostic &D = F.Diag;
        J.object([&] {
          J.attribute("id", static_cast<int64_t>(I));
          J.attribute("code", D.Code);
          J.attribute("path", absolutePath(D.Path, FindingsDir));
          J.attribute("line", D.Start.Line);
          J.attribute("end_line", std::max(D.End.Line, D.Start.Line));
          J.attribute("message", D.Message);
          J.attributeArray("related", [&] {
            for (const RelatedLocation &R : D.Related)
              J.object([&] {
                J.attribute("path", absolutePath(R.Path, FindingsDir));
                J.attribute("line", R.Start.Line);
                J.attribute("message", R.Message);
              });
          });
        });
      }
    });
  });
  OS.flush();
  return Out;
}

/// The command's environment: ours, with the helper directory first on PYTHONPATH.
std::vector<std::string> commandEnvironment(llvm::StringRef TmpDir) {
  std::vector<std::string> Env;
  std::string PythonPath = TmpDir.str();
  for (char **E = environ; *E; ++E) {
    llvm::StringRef Entry(*E);
    llvm::StringRef Name = Entry.split('=').first;
    if (Name == "PYTHONPATH") {
      llvm::StringRef Old = Entry.split('=').second;
      if (!Old.empty()) {
        PythonPath += ':';
        PythonPath += Old;
      }
      continue;
    }
    if (Name == "MEMLINT_VERIFY_PLAN" || Name == "MEMLINT_VERIFY_OUT")
      continue;
    Env.push_back(Entry.str());
  }
  Env.push_back("PYTHONPATH=" + PythonPath);
  llvm::SmallString<256> Plan(TmpDir);
  llvm::sys::path::append(Plan, "plan.json");
  Env.push_back("MEMLINT_VERIFY_PLAN=" + Plan.str().str());
  Env.push_back("MEMLINT_VERIFY_OUT=" + TmpDir.str());
  return Env;
}

// --- observations ---------------------------------------------------------------------------

/// Merges one process's facts about a finding into the running total: counts add up, sizes
/// and peaks take the maximum, texts keep the first non-empty value, lists are joined.
void mergeFacts(llvm::json::Object &Into, const llvm::json::Object &From) {
  for (const auto &KV : From) {
    llvm::StringRef Key = KV.first;
    const llvm::json::Value &V = KV.second;
    llvm::json::Value *Existing = Into.get(Key);
    if (!Existing) {
      // A std::string key: the object must own it, the parsed document goes away.
      Into[Key.str()] = V;
      continue;
    }
    if (auto A = Existing->getAsInteger(), B = V.getAsInteger(); A && B) {
      bool IsMax = Key.startswith("peak") || Key.startswith("largest") || Key.startswith("bytes") ||
                   Key == "cycle_bytes" || Key == "attributes";
      *Existing = IsMax ? std::max(*A, *B) : *A + *B;
    } else if (auto S = Existing->getAsString(); S && S->empty()) {
      *Existing = V;
    } else if (llvm::json::Array *Arr = Existing->getAsArray()) {
      if (const llvm::json::Array *More = V.getAsArray())
        for (const llvm::json::Value &Item : *More)
          if (!llvm::is_contained(*Arr, Item))
            Arr->push_back(Item);
    }
  }
}

/// Reads every observations-*.json in Dir into the findings; returns how many processes wrote.
unsigned readObservations(llvm::StringRef Dir, std::vector<VerifiedFinding> &Findings,
                          CommandOutcome &Run) {
  unsigned Processes = 0;
  std::error_code EC;
  std::vector<std::string> Files;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    if (Name.startswith("observations-") && Name.endswith(".json"))
      Files.push_back(It->path());
  }
  llvm::sort(Files);
  for (const std::string &File : Files) {
    auto Buffer = llvm::MemoryBuffer::getFile(File);
    if (!Buffer)
      continue;
    llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse((*Buffer)->getBuffer());
    if (!Parsed) {
      Run.HelperErrors.push_back(llvm::sys::path::filename(File).str() + ": " +
                                 llvm::toString(Parsed.takeError()));
      continue;
    }
    const llvm::json::Object *Doc = Parsed->getAsObject();
    if (!Doc)
      continue;
    ++Processes;
    Run.HelperSeconds += Doc->getNumber("helper_seconds").getValueOr(0);
    Run.TracerReplaced |= Doc->getBoolean("tracer_replaced").getValueOr(false);
    if (const llvm::json::Array *Errors = Doc->getArray("errors"))
      for (const llvm::json::Value &E : *Errors)
        if (auto S = E.getAsString(); S && !llvm::is_contained(Run.HelperErrors, *S))
          Run.HelperErrors.push_back(S->str());
    const llvm::json::Object *Facts = Doc->getObject("findings");
    if (!Facts)
      continue;
    for (const auto &KV : *Facts) {
      size_t Index;
      if (llvm::StringRef(KV.first).getAsInteger(10, Index) || Index >= Findings.size())
        continue;
      if (const llvm::json::Object *O = KV.second.getAsObject())
        mergeFacts(Findings[Index].Runtime, *O);
    }
  }
  return Processes;
}

/// Removes the temporary directory unless asked to keep it.
class TempDirectory {
public:
  llvm::Error create(llvm::StringRef Parent) {
    llvm::SmallString<256> Template;
    if (Parent.empty()) {
      llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, Template);
    } else {
      if (!llvm::sys::fs::is_directory(Parent))
        return llvm::createStringError(std::errc::not_a_directory,
                                       "--tmp-dir %s: not a directory", Parent.str().c_str());
      Template = Parent;
    }
    llvm::sys::path::append(Template, "memlint-verify-XXXXXX");
    std::string Buffer = Template.str().str();
    if (!mkdtemp(Buffer.data()))
      return llvm::createStringError(std::error_code(errno, std::generic_category()),
                                     "cannot create a temporary directory in %s",
                                     Parent.empty() ? "the system temporary directory"
                                                    : Parent.str().c_str());
    llvm::SmallString<256> Real;
    Path = llvm::sys::fs::real_path(Buffer, Real) ? Buffer : Real.str().str();
    return llvm::Error::success();
  }
  ~TempDirectory() {
    if (!Path.empty() && !Keep)
      llvm::sys::fs::remove_directories(Path, /*IgnoreErrors=*/true);
  }
  std::string Path;
  bool Keep = false;
};

} // namespace
} // namespace memlint::verify

using namespace memlint;
using namespace memlint::verify;

/// `memlint verify`, dispatched from analyzer/main.cpp.
int runVerifyCommand(llvm::ArrayRef<const char *> Args) {
  VerifyArgs A;
  if (std::optional<int> Exit = parseArgs(Args, A))
    return *Exit;
  const RuleRegistry &Rules = RuleRegistry::builtin();
  for (const auto *List : {&A.Select, &A.Ignore})
    for (const std::string &S : *List)
      if (llvm::Error E = validateSelector(S, Rules))
        return usageError(llvm::toString(std::move(E)));

  llvm::BumpPtrAllocator Arena;
  llvm::StringSaver Saver(Arena);
  llvm::Expected<std::vector<Diagnostic>> Diags =
      A.FindingsFile.empty() ? checkPaths(A, Rules) : loadFindings(A.FindingsFile, Rules, Saver);
  if (!Diags) {
    llvm::WithColor::error(llvm::errs(), "memlint") << llvm::toString(Diags.takeError()) << "\n";
    return ExitUsage;
  }
  std::vector<VerifiedFinding> Findings;
  for (Diagnostic &D : *Diags) {
    if (!A.FindingsFile.empty()) {
      // --select/--ignore filter a findings file too.
      bool Selected = A.Select.empty() || llvm::any_of(A.Select, [&](const std::string &S) {
                        return selectorMatches(S, D.Code);
                      });
      bool Ignored = llvm::any_of(A.Ignore, [&](const std::string &S) {
        return selectorMatches(S, D.Code);
      });
      if (!Selected || Ignored)
        continue;
    }
    VerifiedFinding F;
    F.Verifiable = verifiableCode(D.Code);
    F.Diag = std::move(D);
    Findings.push_back(std::move(F));
  }

  TempDirectory Tmp;
  if (llvm::Error E = Tmp.create(A.TmpDir)) {
    llvm::WithColor::error(llvm::errs(), "memlint") << llvm::toString(std::move(E)) << "\n";
    return ExitUsage;
  }
  Tmp.Keep = A.KeepTmp;
  llvm::SmallString<256> FindingsDir;
  if (!A.FindingsFile.empty() && A.FindingsFile != "-") {
    FindingsDir = A.FindingsFile;
    llvm::sys::fs::make_absolute(FindingsDir);
    llvm::sys::path::remove_filename(FindingsDir);
  }
  auto InTmp = [&](llvm::StringRef Name) {
    llvm::SmallString<256> P(Tmp.Path);
    llvm::sys::path::append(P, Name);
    return P.str().str();
  };
  std::string Plan = planJson(Findings, FindingsDir, A.LineTracing);
  for (auto [Name, Contents] : {std::pair<llvm::StringRef, llvm::StringRef>{
                                    "memlint_verify_runtime.py", HelperSource},
                                {"sitecustomize.py", SiteCustomizeSource},
                                {"plan.json", Plan}}) {
    if (llvm::Error E = writeFile(InTmp(Name), Contents)) {
      llvm::WithColor::error(llvm::errs(), "memlint") << llvm::toString(std::move(E)) << "\n";
      return ExitUsage;
    }
  }

  llvm::errs().flush();
  CommandOutcome Run = runCommand(A.Command, commandEnvironment(Tmp.Path), A.TimeoutSeconds,
                                  STDERR_FILENO);
  Run.PythonProcesses = readObservations(Tmp.Path, Findings, Run);
  for (VerifiedFinding &F : Findings)
    judge(F, Run.PythonProcesses > 0, A.MinBytes, Run);

  std::error_code EC;
  std::optional<llvm::raw_fd_ostream> File;
  if (!A.OutputFile.empty()) {
    File.emplace(A.OutputFile, EC, llvm::sys::fs::OF_Text);
    if (EC)
      return usageError(A.OutputFile + ": cannot write: " + EC.message());
  }
  llvm::raw_ostream &OS = File ? static_cast<llvm::raw_ostream &>(*File) : llvm::outs();
  ReportOptions Options;
  Options.MinBytes = A.MinBytes;
  Options.Color = !File && OS.has_colors();
  switch (A.Format) {
  case OutputFormat::Json:
    renderJson(OS, Findings, Run, Options);
    break;
  case OutputFormat::Sarif:
    renderSarif(OS, Findings, Run, Options, Rules);
    break;
  default:
    renderText(OS, Findings, Run, Options);
    break;
  }
  OS.flush();
  if (A.KeepTmp)
    llvm::errs() << "memlint verify: kept " << Tmp.Path << "\n";
  if (!Run.Started)
    return ExitUsage;
  bool AnyConfirmed = llvm::any_of(
      Findings, [](const VerifiedFinding &F) { return F.Result == Verdict::Confirmed; });
  return AnyConfirmed ? ExitConfirmed : ExitClean;
}
