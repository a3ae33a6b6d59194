//===- main.cpp - the memlint command line ---------------------------------===//
#include "analyzer/Config.h"
#include "analyzer/Discover.h"
#include "analyzer/Driver.h"
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

namespace {

constexpr int ExitClean = 0, ExitFindings = 1, ExitError = 2;

const char *const MainHelp = R"(memlint — finds code that keeps Python memory alive longer or larger than it needs.

Usage:
  memlint check [PATH...] [OPTIONS]   lint files and directories (default: .)
  memlint rule CODE                   print a rule's documentation
  memlint rules [--format text|json]  list every rule
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
  unsigned Threads = 0;
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
    } else if (Arg == "--exit-zero") {
      Out.ExitZero = true;
    } else if (Arg == "--statistics") {
      Out.Statistics = true;
    } else if (Arg == "--isolated") {
      Out.Isolated = true;
    } else if (Arg == "--force-exclude") {
      Out.ForceExclude = true;
    } else if (Arg == "--") {
      for (++I; I < Args.size(); ++I)
        Out.Paths.push_back(Args[I]);
    } else if (Arg.startswith("-") && Arg != "-") {
      return usageError("unknown option `" + Arg + "` for `memlint check`");
    } else {
      Out.Paths.push_back(Arg.str());
    }
  }
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

  std::vector<std::string> Select = A.Select.empty() ? Cfg.Select : A.Select;
  std::vector<std::string> ExtendSelect = Cfg.ExtendSelect;
  ExtendSelect.insert(ExtendSelect.end(), A.ExtendSelect.begin(), A.ExtendSelect.end());
  std::vector<std::string> Ignore = Cfg.Ignore;
  Ignore.insert(Ignore.end(), A.Ignore.begin(), A.Ignore.end());
  RuleSelection Selection(Rules, Select, ExtendSelect, Ignore);

  Discovery Files = discoverFiles(A.Paths, Cfg, A.ForceExclude);
  CheckContext Ctx(Rules, Cfg, Selection);
  CheckSummary Summary = runCheck(Ctx, Files, A.Threads);

  std::error_code EC;
  std::optional<llvm::raw_fd_ostream> File;
  if (!A.OutputFile.empty()) {
    File.emplace(A.OutputFile, EC, llvm::sys::fs::OF_Text);
    if (EC)
      return usageError(A.OutputFile + ": cannot write: " + EC.message());
  }
  llvm::raw_ostream &OS = File ? static_cast<llvm::raw_ostream &>(*File) : llvm::outs();
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
  OS.flush();
  if (Summary.FilesUnreadable)
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
    if (Arg == "--format=json" || (Arg == "--format" && I + 1 < Args.size() && llvm::StringRef(Args[++I]) == "json"))
      Json = true;
    else if (Arg != "--format=text" && !(Arg == "text" && I > 0))
      return usageError("usage: memlint rules [--format text|json]");
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
