//===- Runner.cpp - start and supervise the command `memlint verify` checks -===//
//
// The command runs in its own session (setsid), so its whole process group can be stopped at
// once: on timeout, when memlint is interrupted, and after the command exits (helpers it left
// behind). Its output is relayed to memlint's standard error, which keeps standard output for
// the report.
//
//===----------------------------------------------------------------------===//
#include "Verify.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <iterator>
#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace memlint::verify {

namespace {

volatile std::sig_atomic_t PendingSignal = 0;

void rememberSignal(int Signal) { PendingSignal = Signal; }

/// While the command runs, SIGINT/SIGTERM/SIGHUP sent to memlint are passed on to the
/// command's process group (which, in its own session, does not get the terminal's Ctrl-C).
class SignalForwarding {
public:
  SignalForwarding() {
    PendingSignal = 0;
    struct sigaction Action;
    std::memset(&Action, 0, sizeof Action);
    Action.sa_handler = rememberSignal;
    sigemptyset(&Action.sa_mask);
    for (size_t I = 0; I < std::size(Signals); ++I)
      sigaction(Signals[I], &Action, &Saved[I]);
  }
  ~SignalForwarding() {
    for (size_t I = 0; I < std::size(Signals); ++I)
      sigaction(Signals[I], &Saved[I], nullptr);
  }
  SignalForwarding(const SignalForwarding &) = delete;
  SignalForwarding &operator=(const SignalForwarding &) = delete;

private:
  static constexpr int Signals[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction Saved[std::size(Signals)];
};

double secondsSince(std::chrono::steady_clock::time_point Start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
}

void writeAll(int Fd, const char *Data, size_t Size) {
  while (Size > 0) {
    ssize_t N = ::write(Fd, Data, Size);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return;
    Data += N;
    Size -= static_cast<size_t>(N);
  }
}

/// The last lines of what the command wrote to standard error (at most 20 lines, 4000 bytes).
std::string tailOf(const std::string &Text) {
  size_t Start = Text.size() > 4000 ? Text.size() - 4000 : 0;
  size_t End = Text.size();
  while (End > Start && Text[End - 1] == '\n')
    --End;
  unsigned Lines = 0;
  size_t Pos = End;
  while (Pos > Start) {
    if (Text[Pos - 1] == '\n' && ++Lines == 20)
      break;
    --Pos;
  }
  return Text.substr(Pos, End - Pos);
}

} // namespace

CommandOutcome runCommand(const std::vector<std::string> &Argv,
                          const std::vector<std::string> &Env, double TimeoutSeconds,
                          int RelayFd) {
  CommandOutcome Out;
  Out.Argv = Argv;
  Out.TimeoutSeconds = TimeoutSeconds;
  if (Argv.empty()) {
    Out.StartError = "no command given";
    return Out;
  }
  std::vector<std::string> ArgCopy = Argv, EnvCopy = Env;
  std::vector<char *> ArgPtrs, EnvPtrs;
  for (std::string &A : ArgCopy)
    ArgPtrs.push_back(A.data());
  ArgPtrs.push_back(nullptr);
  for (std::string &E : EnvCopy)
    EnvPtrs.push_back(E.data());
  EnvPtrs.push_back(nullptr);

  // ErrPipe carries the command's standard error; ExecPipe reports a failed exec (it closes,
  // empty, when exec succeeds).
  int ErrPipe[2], ExecPipe[2];
  if (pipe2(ErrPipe, O_CLOEXEC) != 0) {
    Out.StartError = std::string("pipe: ") + std::strerror(errno);
    return Out;
  }
  if (pipe2(ExecPipe, O_CLOEXEC) != 0) {
    Out.StartError = std::string("pipe: ") + std::strerror(errno);
    close(ErrPipe[0]);
    close(ErrPipe[1]);
    return Out;
  }
  SignalForwarding Forwarding;
  auto Start = std::chrono::steady_clock::now();
  pid_t Pid = fork();
  if (Pid < 0) {
    Out.StartError = std::string("fork: ") + std::strerror(errno);
    for (int Fd : {ErrPipe[0], ErrPipe[1], ExecPipe[0], ExecPipe[1]})
      close(Fd);
    return Out;
  }
  if (Pid == 0) {
    // The child: a session of its own, output to memlint's standard error and the relay.
    setsid();
    dup2(RelayFd, STDOUT_FILENO);
    dup2(ErrPipe[1], STDERR_FILENO);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    execvpe(ArgPtrs[0], ArgPtrs.data(), EnvPtrs.data());
    int Error = errno;
    writeAll(ExecPipe[1], reinterpret_cast<const char *>(&Error), sizeof Error);
    _exit(127);
  }
  close(ErrPipe[1]);
  close(ExecPipe[1]);
  int ExecErrno = 0;
  ssize_t Got;
  do
    Got = read(ExecPipe[0], &ExecErrno, sizeof ExecErrno);
  while (Got < 0 && errno == EINTR);
  close(ExecPipe[0]);
  if (Got == static_cast<ssize_t>(sizeof ExecErrno)) {
    close(ErrPipe[0]);
    int Status = 0;
    while (waitpid(Pid, &Status, 0) < 0 && errno == EINTR) {
    }
    Out.StartError = "cannot run `" + Argv.front() + "`: " + std::strerror(ExecErrno);
    return Out;
  }
  Out.Started = true;

  std::string Captured;
  bool Exited = false, PipeOpen = true, TermSent = false;
  std::chrono::steady_clock::time_point ExitedAt, KillAt;
  char Buffer[16384];
  while (true) {
    pollfd P{ErrPipe[0], POLLIN, 0};
    int Ready = PipeOpen ? poll(&P, 1, 100) : (usleep(20000), 0);
    if (Ready > 0) {
      ssize_t N = read(ErrPipe[0], Buffer, sizeof Buffer);
      if (N > 0) {
        writeAll(RelayFd, Buffer, static_cast<size_t>(N));
        Captured.append(Buffer, static_cast<size_t>(N));
        if (Captured.size() > 65536)
          Captured.erase(0, Captured.size() - 32768);
      } else if (N == 0 || (errno != EINTR && errno != EAGAIN)) {
        PipeOpen = false;
      }
    }
    if (!Exited) {
      int Status = 0;
      pid_t Done = waitpid(Pid, &Status, WNOHANG);
      if (Done == Pid) {
        Exited = true;
        ExitedAt = std::chrono::steady_clock::now();
        if (WIFEXITED(Status)) {
          Out.ExitStatus = WEXITSTATUS(Status);
        } else if (WIFSIGNALED(Status)) {
          Out.TermSignal = WTERMSIG(Status);
          Out.ExitStatus = 128 + Out.TermSignal;
        }
        Out.Seconds = secondsSince(Start);
      }
    }
    auto Now = std::chrono::steady_clock::now();
    if (Exited) {
      // Whatever is still in the group holds the pipe open: give it a moment, then stop it.
      if (!PipeOpen || Now - ExitedAt > std::chrono::seconds(1))
        break;
      continue;
    }
    if (!TermSent) {
      int Forward = PendingSignal;
      bool Expired = TimeoutSeconds > 0 && secondsSince(Start) >= TimeoutSeconds;
      if (Forward || Expired) {
        // SIGTERM (or the user's own signal) first: the helper turns it into SystemExit and
        // still writes its observations. SIGKILL follows if the command ignores it.
        killpg(Pid, Forward ? Forward : SIGTERM);
        Out.Interrupted = Forward != 0;
        Out.TimedOut = !Forward;
        TermSent = true;
        KillAt = Now + std::chrono::seconds(5);
      }
    } else if (Now >= KillAt) {
      killpg(Pid, SIGKILL);
      KillAt = Now + std::chrono::hours(1);
    }
  }
  killpg(Pid, SIGKILL); // stragglers left in the command's process group
  if (PipeOpen) {
    // Drain what the killed stragglers wrote, without blocking.
    int Flags = fcntl(ErrPipe[0], F_GETFL);
    fcntl(ErrPipe[0], F_SETFL, Flags | O_NONBLOCK);
    ssize_t N;
    while ((N = read(ErrPipe[0], Buffer, sizeof Buffer)) > 0) {
      writeAll(RelayFd, Buffer, static_cast<size_t>(N));
      Captured.append(Buffer, static_cast<size_t>(N));
    }
  }
  close(ErrPipe[0]);
  Out.StderrTail = tailOf(Captured);
  return Out;
}

} // namespace memlint::verify
