#include "Subprocess.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace memlint::test {

namespace {

std::vector<std::string> mergedEnvironment(const Environment &Overrides) {
  std::vector<std::string> Result;
  for (char **E = environ; *E; ++E) {
    std::string Entry = *E;
    std::string Name = Entry.substr(0, Entry.find('='));
    bool Replaced = false;
    for (const std::string &O : Overrides)
      Replaced |= O.compare(0, Name.size() + 1, Name + "=") == 0;
    if (!Replaced)
      Result.push_back(std::move(Entry));
  }
  Result.insert(Result.end(), Overrides.begin(), Overrides.end());
  return Result;
}

std::string lookupPath(const std::string &Name, const std::vector<std::string> &Env) {
  if (Name.find('/') != std::string::npos)
    return Name;
  std::string Path = "/usr/bin:/bin";
  for (const std::string &E : Env)
    if (E.rfind("PATH=", 0) == 0)
      Path = E.substr(5);
  size_t Start = 0;
  while (Start <= Path.size()) {
    size_t End = Path.find(':', Start);
    if (End == std::string::npos)
      End = Path.size();
    std::string Candidate = Path.substr(Start, End - Start) + "/" + Name;
    if (access(Candidate.c_str(), X_OK) == 0)
      return Candidate;
    Start = End + 1;
  }
  return Name;
}

/// Forks and execs; the child's stdin/stdout/stderr become the given descriptors (-1: inherit).
pid_t spawn(const std::vector<std::string> &Argv, const Environment &Env,
            const std::string &WorkDir, int In, int Out, int Err, std::vector<int> CloseInChild) {
  std::vector<std::string> FullEnv = mergedEnvironment(Env);
  std::string Program = lookupPath(Argv.at(0), FullEnv);
  std::vector<std::string> ArgCopy = Argv;
  std::vector<char *> ArgPtrs, EnvPtrs;
  for (std::string &A : ArgCopy)
    ArgPtrs.push_back(A.data());
  ArgPtrs.push_back(nullptr);
  for (std::string &E : FullEnv)
    EnvPtrs.push_back(E.data());
  EnvPtrs.push_back(nullptr);
  pid_t Pid = fork();
  if (Pid < 0)
    throw std::runtime_error("fork failed");
  if (Pid == 0) {
    if (In >= 0)
      dup2(In, 0);
    if (Out >= 0)
      dup2(Out, 1);
    if (Err >= 0)
      dup2(Err, 2);
    for (int Fd : CloseInChild)
      close(Fd);
    if (!WorkDir.empty() && chdir(WorkDir.c_str()) != 0)
      _exit(127);
    execve(Program.c_str(), ArgPtrs.data(), EnvPtrs.data());
    _exit(127);
  }
  return Pid;
}

int decodeStatus(int Status) {
  return WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
}

} // namespace

ChildProcess::ChildProcess(const std::vector<std::string> &Argv, const Environment &Env,
                           const std::string &WorkDir) {
  int In[2], Out[2];
  if (pipe(In) || pipe(Out))
    throw std::runtime_error("pipe failed");
  // A test that writes to a server which already died must fail an assertion, not die of
  // SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  Pid = spawn(Argv, Env, WorkDir, In[0], Out[1], -1, {In[0], In[1], Out[0], Out[1]});
  close(In[0]);
  close(Out[1]);
  InFd = In[1];
  OutFd = Out[0];
}

ChildProcess::~ChildProcess() {
  closeInput();
  if (OutFd >= 0)
    close(OutFd);
  if (Pid > 0 && ExitStatus < 0) {
    kill(Pid, SIGKILL);
    int Status;
    waitpid(Pid, &Status, 0);
  }
}

bool ChildProcess::write(const std::string &Bytes) {
  size_t Done = 0;
  while (Done < Bytes.size()) {
    ssize_t N = ::write(InFd, Bytes.data() + Done, Bytes.size() - Done);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    Done += static_cast<size_t>(N);
  }
  return true;
}

void ChildProcess::closeInput() {
  if (InFd >= 0)
    close(InFd);
  InFd = -1;
}

ChildProcess::ReadStatus ChildProcess::read(std::string &Out, std::chrono::milliseconds Timeout) {
  pollfd Fd{OutFd, POLLIN, 0};
  int Ready = poll(&Fd, 1, static_cast<int>(Timeout.count()));
  if (Ready <= 0)
    return ReadStatus::Timeout;
  char Buffer[65536];
  ssize_t N = ::read(OutFd, Buffer, sizeof Buffer);
  if (N <= 0)
    return ReadStatus::EndOfOutput;
  Out.append(Buffer, static_cast<size_t>(N));
  return ReadStatus::Data;
}

int ChildProcess::wait(std::chrono::milliseconds Timeout) {
  if (ExitStatus >= 0)
    return ExitStatus;
  auto Deadline = std::chrono::steady_clock::now() + Timeout;
  while (true) {
    int Status;
    pid_t Done = waitpid(Pid, &Status, WNOHANG);
    if (Done == Pid)
      return ExitStatus = decodeStatus(Status);
    if (std::chrono::steady_clock::now() >= Deadline) {
      kill(Pid, SIGKILL);
      waitpid(Pid, &Status, 0);
      ExitStatus = decodeStatus(Status);
      return -1;
    }
    usleep(10'000);
  }
}

RunResult runProgram(const std::vector<std::string> &Argv, const Environment &Env,
                     const std::string &WorkDir, int TimeoutSeconds) {
  int Out[2], Err[2];
  if (pipe(Out) || pipe(Err))
    throw std::runtime_error("pipe failed");
  int DevNull = open("/dev/null", O_RDONLY);
  pid_t Pid =
      spawn(Argv, Env, WorkDir, DevNull, Out[1], Err[1], {Out[0], Out[1], Err[0], Err[1], DevNull});
  close(Out[1]);
  close(Err[1]);
  close(DevNull);
  RunResult R;
  pollfd Fds[2] = {{Out[0], POLLIN, 0}, {Err[0], POLLIN, 0}};
  int Open = 2;
  char Buffer[65536];
  auto Deadline = std::chrono::steady_clock::now() + std::chrono::seconds(TimeoutSeconds);
  while (Open > 0) {
    auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
        Deadline - std::chrono::steady_clock::now());
    if (Left.count() <= 0 || poll(Fds, 2, static_cast<int>(Left.count())) <= 0) {
      kill(Pid, SIGKILL);
      R.Stderr += "\n[killed after " + std::to_string(TimeoutSeconds) + " s]\n";
      break;
    }
    for (pollfd &P : Fds) {
      if (P.fd < 0 || !(P.revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      ssize_t N = ::read(P.fd, Buffer, sizeof Buffer);
      if (N <= 0) {
        close(P.fd);
        P.fd = -1;
        --Open;
        continue;
      }
      (P.fd == Out[0] ? R.Stdout : R.Stderr).append(Buffer, static_cast<size_t>(N));
    }
  }
  for (pollfd &P : Fds)
    if (P.fd >= 0)
      close(P.fd);
  int Status = 0;
  waitpid(Pid, &Status, 0);
  R.ExitCode = decodeStatus(Status);
  return R;
}

std::string findExecutable(const std::string &Name) {
  std::string Found = lookupPath(Name, mergedEnvironment({}));
  return Found.find('/') != std::string::npos && access(Found.c_str(), X_OK) == 0 ? Found : "";
}

} // namespace memlint::test
