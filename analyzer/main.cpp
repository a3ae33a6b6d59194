//===- main.cpp - the memlint command line ---------------------------------===//
#include "analyzer/Baseline.h"
#include "analyzer/Cache.h"
#include "analyzer/Config.h"
#include "analyzer/Discover.h"
#include "analyzer/Driver.h"
#include "analyzer/Fix.h"
#include "analyzer/output/Output.h"
#include "rules/Registry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

using namespace memlint;

// `memlint server` (integrations/lsp/LspCommand.cpp).
int runServerCommand(llvm::ArrayRef<const char *> Args);
// `memlint verify` (integrations/runtime/VerifyCommand.cpp).
int runVerifyCommand(llvm::ArrayRef<const char *> Args);

namespace {

constexpr int ExitClean = 0, ExitFindings = 1, ExitError = 2;

const char *const MainHelp = R"(memlint — finds code that keeps Python memory alive longer or larger than it needs.

Usage:
  memlint check [PATH...] [OPTIONS]   lint files and directories (default: .)
  memlint rule CODE                   print a rule's documentation
  memlint rules [--format text|json]  list every rule
  memlint server                      run the language server (LSP over stdio) for editors
  memlint verify [PATH...] -- COMMAND run COMMAND and confirm or refute findings at runtime
  memlint --version                   print the version

Run `memlint check --help` for the options of `check`.
)";

const char *const CheckHelp = R"(Usage: memlint check [PATH...] [OPTIONS]

Lints Python files (*.py, *.pyi) under each PATH (default: the current directory).

Options:
  --select CODES         only these rules: codes, prefixes or families (GEN, GEN001, ALL)
  --extend-select CODES  add rules to the configured selection
  --ignore CODES         skip these rules
  --format FORMAT        text (default), json, sarif, github
  --output-file FILE     write the report to FILE instead of standard output
  --exit-zero            exit 0 even when there are findings
  --statistics           print how many findings each rule produced
  --config FILE          read [tool.memlint] from FILE instead of the nearest pyproject.toml
  --isolated             ignore every configuration file
  --force-exclude        apply exclude patterns to files named on the command line too
  --threads N            worker threads (default: all cores)
  --no-cache             analyze every file afresh; neither read nor write the cache
  --cache-dir DIR        where results are cached (default: $MEMLINT_CACHE_DIR, else
                         .memlint_cache beside pyproject.toml or in the current directory)
  --fix                  apply safe fixes in place, then report what remains
  --unsafe-fixes         with --fix or --diff, apply unsafe fixes too
  --diff                 print the changes --fix would make as a unified diff; write nothing
                         (exit 1 if there are changes, 0 if not)
  --add-noqa             add `# noqa: CODE` comments that suppress every current finding
                         (--fix and --add-noqa exit 2 when a file could not be rewritten)
  --baseline FILE        report only findings not in FILE, an earlier `--format json` report
  -h, --help             show this help

CODES is a comma-separated list; options may be repeated.
Exit status: 0 no findings, 1 findings, 2 usage, configuration or I/O error.
)";

int usageError(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "memlint") << Message << "\n";
  llvm::errs() << "Run `memlint --help` for usage.\n";
  return ExitError;
}

void splitCodes(llvm::StringRef Value, std::vector<std::string> &Out) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Value.split(Parts, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef P : Parts)
    if (!P.trim().empty())
      Out.push_back(P.trim().upper());
}

struct CheckArgs {
  std::vector<std::string> Paths;
  std::vector<std::string> Select, ExtendSelect, Ignore;
  OutputFormat Format = OutputFormat::Text;
  std::string OutputFile, ConfigFile;
  bool ExitZero = false, Statistics = false, Isolated = false, ForceExclude = false;
  bool Fix = false, UnsafeFixes = false, Diff = false, AddNoqa = false;
  std::string BaselineFile;
  unsigned Threads = 0;
  bool NoCache = false;
  std::string CacheDir;
};

/// Returns an exit code on error or help, nothing when parsing succeeded.
std::optional<int> parseCheckArgs(llvm::ArrayRef<const char *> Args, CheckArgs &Out) {
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    llvm::StringRef Inline;
    bool HasInline = false;
    if (Arg.startswith("--") && Arg.contains('=')) {
      std::tie(Arg, Inline) = Arg.split('=');
      HasInline = true;
    }
    auto Value = [&](llvm::StringRef &V) -> bool {
      if (HasInline) {
        V = Inline;
        return true;
      }
      if (I + 1 >= Args.size())
        return false;
      V = Args[++I];
      return true;
    };
    llvm::StringRef V;
    if (Arg == "-h" || Arg == "--help") {
      llvm::outs() << CheckHelp;
      return ExitClean;
    } else if (Arg == "--select" || Arg == "--extend-select" || Arg == "--ignore") {
      if (!Value(V))
        return usageError(Arg + " needs a value");
      splitCodes(V, Arg == "--select" ? Out.Select : Arg == "--ignore" ? Out.Ignore : Out.ExtendSelect);
    } else if (Arg == "--format" || Arg == "--output-format") {
      if (!Value(V))
        return usageError(Arg + " needs a value");
      auto F = parseOutputFormat(V);
      if (!F)
        return usageError("unknown format `" + V + "` (expected text, json, sarif or github)");
      Out.Format = *F;
    } else if (Arg == "--output-file" || Arg == "-o") {
      if (!Value(V))
        return usageError(Arg + " needs a file name");
      Out.OutputFile = V.str();
    } else if (Arg == "--config") {
      if (!Value(V))
        return usageError("--config needs a file name");
      Out.ConfigFile = V.str();
    } else if (Arg == "--threads" || Arg == "-j") {
      if (!Value(V) || V.getAsInteger(10, Out.Threads) || Out.Threads > 1024)
        return usageError(Arg + " needs a number of threads (0 means all cores)");
    } else if (Arg == "--no-cache") {
      Out.NoCache = true;
    } else if (Arg == "--cache-dir") {
      if (!Value(V) || V.empty())
        return usageError("--cache-dir needs a directory");
      Out.CacheDir = V.str();
    } else if (Arg == "--exit-zero") {
      Out.ExitZero = true;
    } else if (Arg == "--statistics") {
      Out.Statistics = true;
    } else if (Arg == "--isolated") {
      Out.Isolated = true;
    } else if (Arg == "--force-exclude") {
      Out.ForceExclude = true;
    } else if (Arg == "--fix") {
      Out.Fix = true;
    } else if (Arg == "--unsafe-fixes") {
      Out.UnsafeFixes = true;
    } else if (Arg == "--diff") {
      Out.Diff = true;
    } else if (Arg == "--add-noqa") {
      Out.AddNoqa = true;
    } else if (Arg == "--baseline") {
      if (!Value(V) || V.empty())
        return usageError("--baseline needs a file name");
      Out.BaselineFile = V.str();
    } else if (Arg == "--") {
      for (++I; I < Args.size(); ++I)
        Out.Paths.push_back(Args[I]);
    } else if (Arg.startswith("-") && Arg != "-") {
      return usageError("unknown option `" + Arg + "` for `memlint check`");
    } else {
      Out.Paths.push_back(Arg.str());
    }
  }
  if (Out.AddNoqa && (Out.Fix || Out.Diff))
    return usageError("--add-noqa cannot be combined with --fix or --diff");
  if (Out.Paths.empty())
    Out.Paths.push_back(".");
  return std::nullopt;
}

int runCheckCommand(llvm::ArrayRef<const char *> Args) {
  CheckArgs A;
  if (auto Exit = parseCheckArgs(Args, A))
    return *Exit;
  const RuleRegistry &Rules = RuleRegistry::builtin();
  for (const auto *List : {&A.Select, &A.ExtendSelect, &A.Ignore})
    for (const std::string &S : *List)
      if (llvm::Error E = validateSelector(S, Rules))
        return usageError(llvm::toString(std::move(E)));

  Config Cfg;
  std::optional<std::string> ConfigPath;
  if (!A.ConfigFile.empty()) {
    if (!llvm::sys::fs::exists(A.ConfigFile))
      return usageError(A.ConfigFile + ": configuration file not found");
    ConfigPath = A.ConfigFile;
  } else if (!A.Isolated) {
    llvm::SmallString<256> Start(A.Paths.front());
    if (!llvm::sys::fs::is_directory(Start))
      llvm::sys::path::remove_filename(Start);
    ConfigPath = findConfig(Start.empty() ? "." : Start.str());
  }
  if (ConfigPath) {
    auto Loaded = loadConfig(*ConfigPath, Rules);
    if (!Loaded) {
      llvm::WithColor::error(llvm::errs(), "memlint") << llvm::toString(Loaded.takeError()) << "\n";
      return ExitError;
    }
    Cfg = std::move(*Loaded);
  }
  std::optional<Baseline> Base;
  if (!A.BaselineFile.empty()) {
    auto Loaded = Baseline::load(A.BaselineFile);
    if (!Loaded) {
      llvm::WithColor::error(llvm::errs(), "memlint") << llvm::toString(Loaded.takeError()) << "\n";
      return ExitError;
    }
    Base = std::move(*Loaded);
  }

  std::vector<std::string> Select = A.Select.empty() ? Cfg.Select : A.Select;
  std::vector<std::string> ExtendSelect = Cfg.ExtendSelect;
  ExtendSelect.insert(ExtendSelect.end(), A.ExtendSelect.begin(), A.ExtendSelect.end());
  std::vector<std::string> Ignore = Cfg.Ignore;
  Ignore.insert(Ignore.end(), A.Ignore.begin(), A.Ignore.end());
  RuleSelection Selection(Rules, Select, ExtendSelect, Ignore);

  Discovery Files = discoverFiles(A.Paths, Cfg, A.ForceExclude);
  CheckContext Ctx(Rules, Cfg, Selection);
  CheckSummary Summary;
  FixRunSummary Fixed;
  if (A.Fix || A.Diff || A.AddNoqa) {
    FixOptions Options;
    Options.Action = A.Diff ? FixAction::Diff : A.AddNoqa ? FixAction::AddNoqa : FixAction::Fix;
    Options.Selection = A.UnsafeFixes ? FixSelection::IncludeUnsafe : FixSelection::SafeOnly;
    Options.Threads = A.Threads;
    Options.Base = Base ? &*Base : nullptr;
    Fixed = runFix(Ctx, Files, Options);
    for (const std::string &Message : Fixed.Errors)
      llvm::WithColor::error(llvm::errs(), "memlint") << Message << "\n";
    for (const std::string &Message : Fixed.Warnings)
      llvm::WithColor::warning(llvm::errs(), "memlint") << Message << "\n";
    Summary = std::move(Fixed.Check);
  } else {
    // Fix modes rewrite files and re-check them: they always analyze afresh.
    std::optional<ResultCache> Cache;
    if (!A.NoCache)
      Cache.emplace(A.CacheDir.empty() ? defaultCacheDirectory(Cfg) : A.CacheDir, Ctx);
    Summary = runCheck(Ctx, Files, A.Threads, Cache && Cache->usable() ? &*Cache : nullptr);
    if (Cache)
      for (const std::string &Problem : Cache->problems())
        llvm::WithColor::warning(llvm::errs(), "memlint") << Problem << "\n";
  }
  if (Base || A.Format == OutputFormat::Json || A.Format == OutputFormat::Sarif)
    assignFingerprints(Summary.Diagnostics);
  size_t Baselined = Base ? Base->filter(Summary.Diagnostics) : 0;

  std::error_code EC;
  std::optional<llvm::raw_fd_ostream> File;
  if (!A.OutputFile.empty()) {
    File.emplace(A.OutputFile, EC, llvm::sys::fs::OF_Text);
    if (EC)
      return usageError(A.OutputFile + ": cannot write: " + EC.message());
  }
  llvm::raw_ostream &OS = File ? static_cast<llvm::raw_ostream &>(*File) : llvm::outs();
  if (A.Diff) {
    // Like ruff: the diff on standard output, the count on standard error; exit 1 when there
    // are changes, so CI can ask "is everything fixed?".
    for (const std::string &Diff : Fixed.Diffs)
      OS << Diff;
    OS.flush();
    if (Fixed.Applied)
      llvm::errs() << "Would fix " << Fixed.Applied
                   << (Fixed.Applied == 1 ? " finding" : " findings") << " in "
                   << Fixed.FilesChanged << (Fixed.FilesChanged == 1 ? " file" : " files") << ".\n";
    else
      llvm::errs() << "No fixes would be applied.\n";
    if (Summary.FilesUnreadable || !Fixed.Errors.empty())
      return ExitError;
    return Fixed.FilesChanged ? ExitFindings : ExitClean;
  }
  switch (A.Format) {
  case OutputFormat::Text: {
    RenderStats Stats;
    Stats.FilesChecked = Summary.FilesAnalyzed + Summary.FilesWithSyntaxErrors;
    Stats.ShowStatistics = A.Statistics;
    renderText(OS, Summary.Diagnostics, Stats, !File && OS.has_colors());
    break;
  }
  case OutputFormat::Json:
    renderJson(OS, Summary.Diagnostics);
    break;
  case OutputFormat::Sarif:
    renderSarif(OS, Summary.Diagnostics, Rules);
    break;
  case OutputFormat::Github:
    renderGithub(OS, Summary.Diagnostics);
    break;
  }
  if (A.Statistics && A.Format != OutputFormat::Text)
    renderStatistics(llvm::errs(), Summary.Diagnostics);
  // Summaries go with a text report, and to standard error beside a machine-readable one.
  llvm::raw_ostream &Note = A.Format == OutputFormat::Text ? OS : llvm::errs();
  if (A.Fix)
    Note << "Fixed " << Fixed.Applied << (Fixed.Applied == 1 ? " finding" : " findings") << " ("
         << Summary.Diagnostics.size() << " remaining).\n";
  if (A.AddNoqa)
    Note << "Added " << Fixed.Applied << " noqa " << (Fixed.Applied == 1 ? "code" : "codes")
         << " in " << Fixed.FilesChanged << (Fixed.FilesChanged == 1 ? " file" : " files") << ".\n";
  if (Baselined)
    Note << Baselined << (Baselined == 1 ? " finding" : " findings")
         << " in the baseline not shown.\n";
  OS.flush();
  // A file --fix or --add-noqa could not write (or whose fixes it refused) is an I/O error.
  if (Summary.FilesUnreadable || !Fixed.Errors.empty())
    return ExitError;
  if (!Summary.Diagnostics.empty() && !A.ExitZero)
    return ExitFindings;
  return ExitClean;
}

int runRuleCommand(llvm::ArrayRef<const char *> Args) {
  if (Args.size() != 1)
    return usageError("usage: memlint rule CODE");
  std::string Code = llvm::StringRef(Args[0]).upper();
  const RuleRegistry &Rules = RuleRegistry::builtin();
  const RuleInfo *Info = Rules.findInfo(Code);
  if (!Info) {
    // Accept the kebab-case name too.
    for (const RuleInfo *Candidate : Rules.allInfos())
      if (Candidate->Name == Args[0])
        Info = Candidate;
  }
  if (!Info)
    return usageError("unknown rule `" + llvm::Twine(Args[0]) + "` (run `memlint rules`)");
  llvm::outs() << "# " << Info->Code << " " << Info->Name << "\n\n"
               << "Family: " << Info->Family << " · Default severity: "
               << severityName(Info->DefaultSeverity)
               << " · Enabled by default: " << (Info->EnabledByDefault ? "yes" : "no")
               << " · Fix: "
               << (Info->Fixes == FixAvailability::None        ? "none"
                   : Info->Fixes == FixAvailability::Sometimes ? "sometimes"
                                                               : "available")
               << "\n\n"
               << Info->Summary << ".\n\n"
               << Info->Doc;
  return ExitClean;
}

int runRulesCommand(llvm::ArrayRef<const char *> Args) {
  bool Json = false;
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    llvm::StringRef Format;
    if (Arg.startswith("--format="))
      Format = Arg.drop_front(9);
    else if (Arg == "--format" && I + 1 < Args.size())
      Format = Args[++I];
    else
      return usageError("usage: memlint rules [--format text|json]");
    if (Format != "text" && Format != "json")
      return usageError("unknown format `" + Format +
                        "` for `memlint rules` (expected text or json)");
    Json = Format == "json";
  }
  const RuleRegistry &Rules = RuleRegistry::builtin();
  if (Json) {
    llvm::json::OStream J(llvm::outs(), 2);
    J.array([&] {
      for (const RuleInfo *Info : Rules.allInfos())
        J.object([&] {
          J.attribute("code", Info->Code);
          J.attribute("name", Info->Name);
          J.attribute("family", Info->Family);
          J.attribute("summary", Info->Summary);
          J.attribute("default_enabled", Info->EnabledByDefault);
          J.attribute("severity", severityName(Info->DefaultSeverity));
        });
    });
    llvm::outs() << "\n";
    return ExitClean;
  }
  llvm::outs() << llvm::format("%-8s %-36s %-7s %-8s %s\n", static_cast<const char *>("CODE"),
                               static_cast<const char *>("NAME"), static_cast<const char *>("FAMILY"),
                               static_cast<const char *>("DEFAULT"), static_cast<const char *>("SUMMARY"));
  for (const RuleInfo *Info : Rules.allInfos())
    llvm::outs() << llvm::format("%-8s %-36s %-7s %-8s %s\n", Info->Code.data(), Info->Name.data(),
                                 Info->Family.data(), Info->EnabledByDefault ? "on" : "off",
                                 Info->Summary.data());
  return ExitClean;
}

} // namespace

int main(int Argc, const char **Argv) {
  llvm::ArrayRef<const char *> Args(Argv + 1, Argv + Argc);
  if (Args.empty()) {
    llvm::outs() << MainHelp;
    return ExitError;
  }
  llvm::StringRef Command = Args.front();
  llvm::ArrayRef<const char *> Rest = Args.drop_front();
  if (Command == "check")
    return runCheckCommand(Rest);
  if (Command == "rule")
    return runRuleCommand(Rest);
  if (Command == "rules")
    return runRulesCommand(Rest);
  if (Command == "server")
    return runServerCommand(Rest);
  if (Command == "verify")
    return runVerifyCommand(Rest);
  if (Command == "--version" || Command == "-V" || Command == "version") {
    llvm::outs() << "memlint " << MEMLINT_VERSION << "\n";
    return ExitClean;
  }
  if (Command == "--help" || Command == "-h" || Command == "help") {
    llvm::outs() << MainHelp;
    return ExitClean;
  }
  return usageError("unknown command `" + Command + "`");
}
