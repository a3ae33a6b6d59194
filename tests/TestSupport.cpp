#include "TestSupport.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace memlint::test {

RunResult runMemlint(const std::vector<std::string> &Args, const std::string &WorkDir,
                     const std::string &Stdin) {
  int Out[2], Err[2], In[2];
  if (pipe(Out) || pipe(Err) || pipe(In))
    throw std::runtime_error("pipe failed");
  // Each run starts with an empty result cache of its own (unless the test chose one), so a
  // test sees what analysis produces, never what an earlier test left in a shared directory.
  std::optional<TempDir> Cache;
  std::vector<std::string> EnvStrings;
  for (char **E = environ; *E; ++E)
    EnvStrings.push_back(*E);
  if (!getenv("MEMLINT_CACHE_DIR")) {
    Cache.emplace();
    EnvStrings.push_back("MEMLINT_CACHE_DIR=" + Cache->path());
  }
  std::vector<char *> Envp;
  for (std::string &E : EnvStrings)
    Envp.push_back(E.data());
  Envp.push_back(nullptr);
  pid_t Pid = fork();
  if (Pid < 0)
    throw std::runtime_error("fork failed");
  if (Pid == 0) {
    dup2(In[0], 0);
    dup2(Out[1], 1);
    dup2(Err[1], 2);
    for (int Fd : {Out[0], Out[1], Err[0], Err[1], In[0], In[1]})
      close(Fd);
    if (!WorkDir.empty() && chdir(WorkDir.c_str()) != 0)
      _exit(127);
    std::vector<char *> Argv;
    std::string Binary = MEMLINT_BINARY;
    Argv.push_back(Binary.data());
    std::vector<std::string> Copy = Args;
    for (std::string &A : Copy)
      Argv.push_back(A.data());
    Argv.push_back(nullptr);
    execve(Binary.c_str(), Argv.data(), Envp.data());
    _exit(127);
  }
  close(Out[1]);
  close(Err[1]);
  close(In[0]);
  if (!Stdin.empty() && write(In[1], Stdin.data(), Stdin.size()) < 0) {
    // The child may exit without reading; that is its business.
  }
  close(In[1]);
  RunResult R;
  pollfd Fds[2] = {{Out[0], POLLIN, 0}, {Err[0], POLLIN, 0}};
  int Open = 2;
  char Buf[65536];
  while (Open > 0) {
    if (poll(Fds, 2, 300000) <= 0) {
      kill(Pid, SIGKILL);
      break;
    }
    for (pollfd &P : Fds) {
      if (P.fd < 0 || !(P.revents & (POLLIN | POLLHUP)))
        continue;
      ssize_t N = read(P.fd, Buf, sizeof Buf);
      if (N <= 0) {
        close(P.fd);
        P.fd = -1;
        --Open;
        continue;
      }
      (P.fd == Out[0] ? R.Stdout : R.Stderr).append(Buf, static_cast<size_t>(N));
    }
  }
  int Status = 0;
  waitpid(Pid, &Status, 0);
  R.ExitCode = WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
  return R;
}

TempDir::TempDir() {
  std::string Template = (std::filesystem::temp_directory_path() / "memlint-test-XXXXXX").string();
  if (!mkdtemp(Template.data()))
    throw std::runtime_error("mkdtemp failed");
  Path = Template;
}

TempDir::~TempDir() {
  std::error_code EC;
  std::filesystem::remove_all(Path, EC);
}

std::string TempDir::write(const std::string &Relative, const std::string &Contents) const {
  std::filesystem::path P = std::filesystem::path(Path) / Relative;
  std::filesystem::create_directories(P.parent_path());
  std::ofstream(P, std::ios::binary) << Contents;
  return P.string();
}

} // namespace memlint::test
