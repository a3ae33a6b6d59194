//===- Report.cpp - verdicts from runtime observations, and their rendering -===//
#include "Verify.h"

#include "analyzer/output/Output.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <map>

namespace memlint::verify {

llvm::StringRef verdictName(Verdict V) {
  switch (V) {
  case Verdict::Confirmed:
    return "confirmed";
  case Verdict::Refuted:
    return "refuted";
  case Verdict::NotExercised:
    return "not-exercised";
  case Verdict::Unsupported:
    return "unsupported";
  }
  return "unsupported";
}

std::string formatBytes(uint64_t Bytes) {
  if (Bytes < 1024)
    return std::to_string(Bytes) + (Bytes == 1 ? " byte" : " bytes");
  const char *Units[] = {"KiB", "MiB", "GiB", "TiB"};
  double Value = static_cast<double>(Bytes) / 1024;
  unsigned Unit = 0;
  while (Value >= 1024 && Unit + 1 < std::size(Units)) {
    Value /= 1024;
    ++Unit;
  }
  return llvm::formatv("{0:f1} {1}", Value, Units[Unit]).str();
}

namespace {

int64_t number(const llvm::json::Object &O, llvm::StringRef Key) {
  if (llvm::Optional<int64_t> N = O.getInteger(Key))
    return *N;
  if (llvm::Optional<double> D = O.getNumber(Key))
    return static_cast<int64_t>(*D);
  return 0;
}

std::string text(const llvm::json::Object &O, llvm::StringRef Key) {
  if (llvm::Optional<llvm::StringRef> S = O.getString(Key))
    return S->str();
  return "";
}

/// 1234567 -> "1,234,567".
std::string count(int64_t N) {
  std::string Digits = std::to_string(N < 0 ? -N : N), Out;
  for (size_t I = 0; I < Digits.size(); ++I) {
    if (I && (Digits.size() - I) % 3 == 0)
      Out += ',';
    Out += Digits[I];
  }
  return N < 0 ? "-" + Out : Out;
}

std::string plural(int64_t N, llvm::StringRef One, llvm::StringRef Many) {
  return count(N) + " " + (N == 1 ? One : Many).str();
}

/// "`Order`, `OrderLine`": the runtime classes the helper matched to the finding (by name and
/// defining file; the JSON report has their files and lines).
std::string classList(const llvm::json::Object &Runtime) {
  const llvm::json::Array *Classes = Runtime.getArray("classes");
  if (!Classes)
    return "";
  std::vector<std::string> Parts;
  for (const llvm::json::Value &V : *Classes)
    if (const llvm::json::Object *C = V.getAsObject()) {
      std::string Part = "`" + text(*C, "name") + "`";
      if (!llvm::is_contained(Parts, Part))
        Parts.push_back(Part);
    }
  return llvm::join(Parts, ", ");
}

void judgeCycle(VerifiedFinding &F, const llvm::json::Object &R) {
  int64_t Executed = number(R, "executed"), Seen = number(R, "seen");
  int64_t ByGc = number(R, "freed_by_gc"), AtExit = number(R, "garbage_at_exit");
  int64_t Refcount = number(R, "freed_by_refcount"), Alive = number(R, "alive_at_exit");
  int64_t InCycle = number(R, "alive_in_cycle"), Watched = number(R, "watched");
  int64_t Reclaimed = std::max(ByGc, AtExit);
  std::string Classes = classList(R);
  std::string Path = text(R, "cycle_path");
  if (Reclaimed + InCycle > 0) {
    F.Result = Verdict::Confirmed;
    if (Reclaimed) {
      // Beyond a cap per class, instances are counted but not watched one by one.
      std::string Who = Watched && Watched < Seen
                            ? count(Reclaimed) + " of the first " + count(Watched) +
                                  " instances of " + Classes + " that memlint watched (" +
                                  count(Seen) + " lived until a collection)"
                            : plural(Reclaimed, "instance", "instances") + " of " + Classes;
      F.Evidence.push_back(Who + " could only be freed by the cyclic garbage collector" +
                           (AtExit ? " (" + count(AtExit) + " in the collection at exit)"
                                   : std::string()));
    }
    if (InCycle)
      F.Evidence.push_back(plural(InCycle, "instance was", "instances were") +
                           " still alive in a reference cycle at exit");
    if (!Path.empty())
      F.Evidence.push_back("cycle seen at runtime: " + Path + " (its members take " +
                           formatBytes(static_cast<uint64_t>(number(R, "cycle_bytes"))) + ")");
    if (Refcount)
      F.Evidence.push_back(plural(Refcount, "other instance was", "other instances were") +
                           " freed by reference counting");
    return;
  }
  if (Executed || Seen || Alive) {
    F.Result = Verdict::Refuted;
    std::string Ran = Executed ? "the flagged line ran " + plural(Executed, "time", "times")
                               : "instances of " + Classes + " were created";
    F.Evidence.push_back(Ran + ", but no instance was freed by the cyclic garbage collector or "
                               "found in a reference cycle");
    if (Seen)
      F.Evidence.push_back(plural(Seen, "instance", "instances") +
                           " lived until a collection: " + count(Refcount) +
                           " freed by reference counting, " + count(Alive) + " alive at exit");
    return;
  }
  F.Result = Verdict::NotExercised;
  F.Evidence.push_back("the flagged line never ran" +
                       (Classes.empty() ? std::string(" and no class it names was instantiated")
                                        : " and no instance of " + Classes + " was seen"));
}

void judgeRegistry(VerifiedFinding &F, const llvm::json::Object &R) {
  int64_t Executed = number(R, "executed"), Seen = number(R, "seen");
  int64_t Held = number(R, "held_by_registry"), Alive = number(R, "alive_at_exit");
  int64_t Elsewhere = number(R, "held_elsewhere");
  std::string Classes = classList(R);
  std::string Registry = text(R, "registry");
  bool Cache = F.Diag.Code == "MEM001";
  std::string RegistryText = Registry.empty() ? (Cache ? "the method's cache" : "the registry")
                             : Cache          ? "the cache of `" + Registry + "`"
                                              : "`" + Registry + "`";
  if (Held > 0) {
    F.Result = Verdict::Confirmed;
    F.Evidence.push_back(plural(Held, "instance", "instances") + " of " + Classes +
                         " still alive at exit, kept only by " + RegistryText + " (" +
                         formatBytes(static_cast<uint64_t>(number(R, "held_bytes"))) +
                         (Held == 1 ? " of its own, plus what it references)"
                                    : " of their own, plus what they reference)"));
    std::string Path = text(R, "registry_path");
    if (!Path.empty())
      F.Evidence.push_back("held through: " + Path);
    return;
  }
  if (Executed || Seen || Alive) {
    F.Result = Verdict::Refuted;
    std::string Ran = Executed ? "the flagged line ran " + plural(Executed, "time", "times")
                               : "instances of " + Classes + " were created";
    F.Evidence.push_back(Ran + ", but at exit no " + (Classes.empty() ? "instance" : Classes) +
                         " was kept alive by " + RegistryText + " alone");
    if (Alive)
      F.Evidence.push_back(plural(Alive, "instance was", "instances were") + " alive at exit" +
                           (Elsewhere ? ", also held outside the registry" : ""));
    int64_t ByGc = number(R, "freed_by_gc"), Refcount = number(R, "freed_by_refcount");
    if (ByGc || Refcount)
      F.Evidence.push_back(count(ByGc) + " freed by the cyclic garbage collector, " +
                           count(Refcount) + " by reference counting");
    return;
  }
  F.Result = Verdict::NotExercised;
  F.Evidence.push_back("the flagged line never ran" +
                       (Classes.empty() ? std::string() : " and no instance of " + Classes +
                                                              " was seen"));
}

void judgeSlots(VerifiedFinding &F, const llvm::json::Object &R, uint64_t MinBytes) {
  int64_t Seen = number(R, "seen"), Peak = number(R, "peak_live");
  int64_t WithDict = number(R, "bytes_with_dict"), WithSlots = number(R, "bytes_with_slots");
  std::string Classes = classList(R);
  if (!Seen && !Peak) {
    F.Result = Verdict::NotExercised;
    F.Evidence.push_back("no instance of " + (Classes.empty() ? "the class" : Classes) +
                         " lived until a garbage collection");
    return;
  }
  int64_t PerInstance = std::max<int64_t>(0, WithDict - WithSlots);
  uint64_t Saving = static_cast<uint64_t>(Peak * PerInstance);
  F.Result = Saving >= MinBytes ? Verdict::Confirmed : Verdict::Refuted;
  F.Evidence.push_back("at most " + plural(Peak, "instance", "instances") + " of " + Classes +
                       " alive at once (counted at full collections and at exit)");
  if (WithDict)
    F.Evidence.push_back("one instance takes " + formatBytes(static_cast<uint64_t>(WithDict)) +
                         " with a __dict__ and " + formatBytes(static_cast<uint64_t>(WithSlots)) +
                         " with __slots__ (" + plural(number(R, "attributes"), "attribute", "attributes") +
                         "): __slots__ would save about " + formatBytes(Saving) + " at the peak");
  if (F.Result == Verdict::Refuted)
    F.Evidence.push_back("below the --min-bytes threshold of " + formatBytes(MinBytes));
}

/// MEM002/003/008: a cache or module-level container; what it holds at exit is the cost.
void judgeRetention(VerifiedFinding &F, const llvm::json::Object &R, uint64_t MinBytes) {
  int64_t Entries = number(R, "entries"), Executed = number(R, "executed");
  uint64_t Bytes = static_cast<uint64_t>(number(R, "retained_bytes"));
  std::string Container = text(R, "container");
  if (Container.empty()) {
    F.Result = Verdict::NotExercised;
    F.Evidence.push_back("the container the finding names was not found at exit (its module "
                         "was never imported, or the name was rebound)");
    return;
  }
  if (!Entries && !Executed) {
    F.Result = Verdict::NotExercised;
    F.Evidence.push_back("`" + Container + "` was empty at exit and the flagged line never ran");
    return;
  }
  F.Result = Bytes >= MinBytes ? Verdict::Confirmed : Verdict::Refuted;
  F.Evidence.push_back("at exit `" + Container + "` held " + plural(Entries, "entry", "entries") +
                       ", reaching " + formatBytes(Bytes) +
                       " (everything reachable from it, shared objects included)");
  if (F.Result == Verdict::Refuted)
    F.Evidence.push_back("below the --min-bytes threshold of " + formatBytes(MinBytes));
}

void judgeMeasured(VerifiedFinding &F, const llvm::json::Object &R, uint64_t MinBytes) {
  int64_t Executed = number(R, "executed"), Measured = number(R, "measured");
  uint64_t Peak = static_cast<uint64_t>(number(R, "peak_bytes"));
  if (R.getBoolean("line_tracing") == false) {
    F.Result = Verdict::NotExercised;
    F.Evidence.push_back("not measured: line tracing was off (--no-line-tracing)");
    return;
  }
  if (!Executed) {
    F.Result = Verdict::NotExercised;
    F.Evidence.push_back("the flagged line never ran");
    return;
  }
  F.Result = Peak >= MinBytes ? Verdict::Confirmed : Verdict::Refuted;
  std::string Sentence = "tracemalloc: the flagged statement allocated up to " +
                         formatBytes(Peak) + " at once while it ran (the largest of " +
                         plural(Measured, "measurement", "measurements") + ")";
  if (int64_t Items = number(R, "largest_list"))
    Sentence += "; the list it built held up to " + plural(Items, "item", "items");
  F.Evidence.push_back(Sentence);
  if (F.Result == Verdict::Refuted)
    F.Evidence.push_back("below the --min-bytes threshold of " + formatBytes(MinBytes));
}

} // namespace

void judge(VerifiedFinding &F, bool Observed, uint64_t MinBytes, const CommandOutcome &Run) {
  F.Evidence.clear();
  if (!F.Verifiable) {
    F.Result = Verdict::Unsupported;
    F.Evidence.push_back("memlint verify has no runtime check for " + F.Diag.Code.str());
    return;
  }
  if (!Observed) {
    F.Result = Verdict::NotExercised;
    F.Evidence.push_back(
        Run.Started ? "no Python process reported observations (the command ran no Python, ran "
                      "it with -I, -E or -S, or was killed before Python could exit)"
                    : "the command did not start");
    return;
  }
  llvm::StringRef Family = F.Diag.Code.take_while([](char C) { return C >= 'A' && C <= 'Z'; });
  if (Family == "CYC")
    judgeCycle(F, F.Runtime);
  else if (Family == "WRF" || F.Diag.Code == "MEM001")
    judgeRegistry(F, F.Runtime);
  else if (F.Diag.Code == "MEM002" || F.Diag.Code == "MEM003" || F.Diag.Code == "MEM008")
    judgeRetention(F, F.Runtime, MinBytes);
  else if (Family == "SLT")
    judgeSlots(F, F.Runtime, MinBytes);
  else
    judgeMeasured(F, F.Runtime, MinBytes);
  if (F.Result == Verdict::NotExercised && F.Runtime.getBoolean("line_tracing") == false &&
      !llvm::StringRef(F.Evidence.front()).startswith("not measured"))
    F.Evidence.push_back("line tracing was off (--no-line-tracing): only instances that lived "
                         "until a garbage collection were seen");
  if (F.Result == Verdict::NotExercised && Run.TracerReplaced)
    F.Evidence.push_back("line tracing did not cover the whole run (another tracer such as "
                         "coverage or a debugger took over, or the line-event budget ran out), "
                         "so the line may have run unseen");
}

// --- rendering -------------------------------------------------------------------------------

namespace {

std::map<Verdict, size_t> countVerdicts(llvm::ArrayRef<VerifiedFinding> Findings) {
  std::map<Verdict, size_t> Counts;
  for (const VerifiedFinding &F : Findings)
    ++Counts[F.Result];
  return Counts;
}

std::string commandLine(const std::vector<std::string> &Argv) {
  std::vector<std::string> Quoted;
  for (const std::string &A : Argv) {
    bool Plain = !A.empty() && llvm::all_of(A, [](char C) {
      return llvm::isAlnum(C) || llvm::StringRef("-_./=:,+@%").contains(C);
    });
    if (Plain) {
      Quoted.push_back(A);
      continue;
    }
    std::string Q = "'";
    for (char C : A)
      Q += C == '\'' ? std::string("'\\''") : std::string(1, C);
    Quoted.push_back(Q + "'");
  }
  return llvm::join(Quoted, " ");
}

/// One paragraph about how the command ended (text report).
std::string describeRun(const CommandOutcome &Run) {
  std::string Line = "Command: " + commandLine(Run.Argv) + "\n  ";
  if (!Run.Started)
    return Line + Run.StartError + ".\n";
  std::string Seconds = llvm::formatv("{0:f2}", Run.Seconds).str();
  if (Run.TimedOut)
    Line += "stopped after the " + llvm::formatv("{0}", llvm::format("%g", Run.TimeoutSeconds)).str() +
            " s timeout (its process group was killed)";
  else if (Run.Interrupted)
    Line += "interrupted (memlint passed the signal on to its process group)";
  else if (Run.TermSignal)
    Line += "killed by signal " + std::to_string(Run.TermSignal) + " after " + Seconds + " s";
  else
    Line += "exited with status " + std::to_string(Run.ExitStatus) + " after " + Seconds + " s";
  Line += "; " + plural(Run.PythonProcesses, "Python process", "Python processes") +
          " reported observations.\n";
  if ((Run.ExitStatus != 0 || Run.TimedOut) && !Run.StderrTail.empty()) {
    Line += "  Last lines of its standard error:\n";
    llvm::SmallVector<llvm::StringRef, 20> Lines;
    llvm::StringRef(Run.StderrTail).split(Lines, '\n');
    for (llvm::StringRef L : Lines)
      Line += "    | " + L.str() + "\n";
  }
  for (const std::string &E : Run.HelperErrors)
    Line += "  helper problem: " + E + "\n";
  return Line;
}

llvm::json::Object runObject(const CommandOutcome &Run, const ReportOptions &Options,
                             llvm::ArrayRef<VerifiedFinding> Findings) {
  llvm::json::Array Argv;
  for (const std::string &A : Run.Argv)
    Argv.push_back(A);
  llvm::json::Array Errors;
  for (const std::string &E : Run.HelperErrors)
    Errors.push_back(E);
  llvm::json::Object Summary;
  for (auto &[V, N] : countVerdicts(Findings))
    Summary[verdictName(V)] = static_cast<int64_t>(N);
  llvm::json::Object O{
      {"command", std::move(Argv)},
      {"started", Run.Started},
      {"exit_status", Run.Started ? llvm::json::Value(Run.ExitStatus) : llvm::json::Value(nullptr)},
      {"signal", Run.TermSignal ? llvm::json::Value(Run.TermSignal) : llvm::json::Value(nullptr)},
      {"timed_out", Run.TimedOut},
      {"interrupted", Run.Interrupted},
      {"seconds", std::round(Run.Seconds * 1000) / 1000},
      {"stderr_tail", Run.StderrTail},
      {"python_processes", static_cast<int64_t>(Run.PythonProcesses)},
      {"helper_seconds", std::round(Run.HelperSeconds * 1000) / 1000},
      {"tracer_replaced", Run.TracerReplaced},
      {"helper_errors", std::move(Errors)},
      {"min_bytes", static_cast<int64_t>(Options.MinBytes)},
      {"summary", std::move(Summary)},
  };
  if (!Run.StartError.empty())
    O["start_error"] = Run.StartError;
  return O;
}

llvm::json::Array evidenceArray(const VerifiedFinding &F) {
  llvm::json::Array A;
  for (const std::string &E : F.Evidence)
    A.push_back(E);
  return A;
}

std::vector<Diagnostic> diagnosticsOf(llvm::ArrayRef<VerifiedFinding> Findings) {
  std::vector<Diagnostic> Diags;
  for (const VerifiedFinding &F : Findings)
    Diags.push_back(F.Diag);
  return Diags;
}

} // namespace

void renderText(llvm::raw_ostream &OS, llvm::ArrayRef<VerifiedFinding> Findings,
                const CommandOutcome &Run, const ReportOptions &Options) {
  for (const VerifiedFinding &F : Findings) {
    const Diagnostic &D = F.Diag;
    if (Options.Color)
      OS.changeColor(llvm::raw_ostream::WHITE, /*Bold=*/true);
    OS << D.Path << ':' << D.Start.Line << ':' << D.Start.Column << ':';
    if (Options.Color)
      OS.resetColor();
    OS << ' ' << D.Code << ' ';
    if (Options.Color)
      OS.changeColor(F.Result == Verdict::Confirmed ? llvm::raw_ostream::RED
                     : F.Result == Verdict::Refuted ? llvm::raw_ostream::GREEN
                                                    : llvm::raw_ostream::YELLOW,
                     /*Bold=*/true);
    OS << '[' << verdictName(F.Result) << ']';
    if (Options.Color)
      OS.resetColor();
    OS << ' ' << D.Message << '\n';
    for (const RelatedLocation &R : D.Related)
      OS << "    " << R.Path << ':' << R.Start.Line << ':' << R.Start.Column << ": note: "
         << R.Message << '\n';
    for (const std::string &E : F.Evidence)
      OS << "    runtime: " << E << '\n';
  }
  if (!Findings.empty())
    OS << '\n';
  OS << describeRun(Run);
  auto Counts = countVerdicts(Findings);
  OS << "Verified " << plural(Findings.size(), "finding", "findings") << ": "
     << Counts[Verdict::Confirmed] << " confirmed, " << Counts[Verdict::Refuted] << " refuted, "
     << Counts[Verdict::NotExercised] << " not exercised";
  if (Counts[Verdict::Unsupported])
    OS << ", " << Counts[Verdict::Unsupported] << " unsupported";
  OS << ".\n";
}

void renderJson(llvm::raw_ostream &OS, llvm::ArrayRef<VerifiedFinding> Findings,
                const CommandOutcome &Run, const ReportOptions &Options) {
  // Each finding is exactly what `check --format json` prints, plus the verdict: render the
  // static part with the shared renderer and extend it.
  std::string Static;
  llvm::raw_string_ostream SOS(Static);
  memlint::renderJson(SOS, diagnosticsOf(Findings));
  SOS.flush();
  llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse(Static);
  llvm::json::Array Out;
  if (Parsed && Parsed->getAsArray()) {
    llvm::json::Array &Array = *Parsed->getAsArray();
    for (size_t I = 0; I < Array.size() && I < Findings.size(); ++I) {
      llvm::json::Object *O = Array[I].getAsObject();
      if (!O)
        continue;
      (*O)["verdict"] = verdictName(Findings[I].Result);
      (*O)["evidence"] = evidenceArray(Findings[I]);
      (*O)["runtime"] = llvm::json::Object(Findings[I].Runtime);
      Out.push_back(std::move(*O));
    }
  } else if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
  }
  llvm::json::Object Report = runObject(Run, Options, Findings);
  Report["findings"] = std::move(Out);
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Report))) << '\n';
}

void renderSarif(llvm::raw_ostream &OS, llvm::ArrayRef<VerifiedFinding> Findings,
                 const CommandOutcome &Run, const ReportOptions &Options,
                 const RuleRegistry &Rules) {
  std::string Static;
  llvm::raw_string_ostream SOS(Static);
  memlint::renderSarif(SOS, diagnosticsOf(Findings), Rules);
  SOS.flush();
  llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse(Static);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    OS << Static;
    return;
  }
  llvm::json::Object *Log = Parsed->getAsObject();
  llvm::json::Array *Runs = Log ? Log->getArray("runs") : nullptr;
  llvm::json::Object *SarifRun =
      Runs && !Runs->empty() ? (*Runs)[0].getAsObject() : nullptr;
  if (SarifRun) {
    if (llvm::json::Array *Results = SarifRun->getArray("results")) {
      for (size_t I = 0; I < Results->size() && I < Findings.size(); ++I) {
        llvm::json::Object *Result = (*Results)[I].getAsObject();
        if (!Result)
          continue;
        const VerifiedFinding &F = Findings[I];
        if (llvm::json::Object *Message = Result->getObject("message")) {
          std::string Text = text(*Message, "text");
          Text += "\n\nRuntime verdict: " + verdictName(F.Result).str() + ".";
          for (const std::string &E : F.Evidence)
            Text += "\n- " + E;
          (*Message)["text"] = Text;
        }
        Result->try_emplace("properties", llvm::json::Object{});
        llvm::json::Object *Properties = Result->getObject("properties");
        (*Properties)["verdict"] = verdictName(F.Result);
        (*Properties)["evidence"] = evidenceArray(F);
        (*Properties)["runtime"] = llvm::json::Object(F.Runtime);
      }
    }
    SarifRun->try_emplace("properties", llvm::json::Object{});
    (*SarifRun->getObject("properties"))["verify"] = runObject(Run, Options, Findings);
  }
  OS << llvm::formatv("{0:2}", *Parsed) << '\n';
}

} // namespace memlint::verify
