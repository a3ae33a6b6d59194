#include "Transport.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <poll.h>
#include <unistd.h>

namespace memlint::lsp {

namespace {

// Far above any real source file; a bigger length is a broken client, not a document.
constexpr size_t MaxMessageBytes = size_t(1) << 30;
// A header block this long without its terminating blank line is not a header.
constexpr size_t MaxHeaderBytes = 64 * 1024;

/// Where the header block ends (the blank line) and where the body starts. The specification
/// says \r\n, but a bare \n costs nothing to accept.
bool findHeaderEnd(llvm::StringRef Pending, size_t &HeaderEnd, size_t &BodyStart) {
  size_t Crlf = Pending.find("\r\n\r\n");
  size_t Lf = Pending.find("\n\n");
  if (Crlf == llvm::StringRef::npos && Lf == llvm::StringRef::npos)
    return false;
  if (Crlf != llvm::StringRef::npos && (Lf == llvm::StringRef::npos || Crlf < Lf)) {
    HeaderEnd = Crlf;
    BodyStart = Crlf + 4;
  } else {
    HeaderEnd = Lf;
    BodyStart = Lf + 2;
  }
  return true;
}

std::optional<size_t> contentLength(llvm::StringRef Header) {
  llvm::SmallVector<llvm::StringRef, 4> Lines;
  Header.split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    auto [Name, Value] = Line.split(':');
    if (!Name.trim().equals_insensitive("content-length"))
      continue;
    size_t Length;
    if (Value.trim().getAsInteger(10, Length))
      return std::nullopt;
    return Length;
  }
  return std::nullopt;
}

} // namespace

bool Transport::waitForInput(int TimeoutMs) {
  if (InputEnded)
    return true;
  pollfd Fd{InFd, POLLIN, 0};
  int Ready = poll(&Fd, 1, TimeoutMs);
  return Ready > 0; // EINTR counts as a timeout: the caller recomputes its deadline
}

bool Transport::readAvailable(std::deque<IncomingMessage> &Out) {
  if (InputEnded)
    return false;
  char Buffer[64 * 1024];
  ssize_t N = read(InFd, Buffer, sizeof Buffer);
  if (N < 0 && (errno == EINTR || errno == EAGAIN))
    return true;
  if (N <= 0) {
    InputEnded = true;
    return false;
  }
  Input.append(Buffer, static_cast<size_t>(N));
  extractMessages(Out);
  return true;
}

void Transport::extractMessages(std::deque<IncomingMessage> &Out) {
  size_t Consumed = 0;
  while (true) {
    llvm::StringRef Pending = llvm::StringRef(Input).drop_front(Consumed);
    if (BodyBytesToSkip) {
      size_t Skip = std::min(BodyBytesToSkip, Pending.size());
      BodyBytesToSkip -= Skip;
      Consumed += Skip;
      if (BodyBytesToSkip)
        break;
      continue;
    }
    size_t HeaderEnd, BodyStart;
    if (!findHeaderEnd(Pending, HeaderEnd, BodyStart)) {
      if (Pending.size() > MaxHeaderBytes) {
        Out.push_back({std::nullopt, "no message header in the last 64 KiB of input"});
        Consumed += Pending.size();
      }
      break;
    }
    std::optional<size_t> Length = contentLength(Pending.take_front(HeaderEnd));
    if (!Length) {
      Out.push_back({std::nullopt, "message header without a valid Content-Length"});
      Consumed += BodyStart;
      continue;
    }
    if (*Length > MaxMessageBytes) {
      Out.push_back({std::nullopt, "message of " + std::to_string(*Length) +
                                       " bytes exceeds the 1 GiB limit; skipped"});
      Consumed += BodyStart;
      BodyBytesToSkip = *Length;
      continue;
    }
    if (Pending.size() - BodyStart < *Length)
      break; // the body is still arriving
    llvm::StringRef Body = Pending.substr(BodyStart, *Length);
    Consumed += BodyStart + *Length;
    llvm::Expected<llvm::json::Value> Json = llvm::json::parse(Body);
    if (Json)
      Out.push_back({std::move(*Json), {}});
    else
      Out.push_back({std::nullopt, llvm::toString(Json.takeError())});
  }
  Input.erase(0, Consumed);
}

bool Transport::send(const llvm::json::Value &Message) {
  return send([&](llvm::json::OStream &J) { J.value(Message); });
}

namespace {

/// raw_string_ostream is unbuffered, so json::OStream's one-character writes (punctuation,
/// json::quote) each go through a virtual call and a string append; a publishDiagnostics for
/// a large file is hundreds of kilobytes of them. This stream buffers like a file stream.
class BufferedStringStream final : public llvm::raw_ostream {
public:
  explicit BufferedStringStream(std::string &Out) : Out(Out) { SetBufferSize(1 << 16); }
  ~BufferedStringStream() override { flush(); }

private:
  std::string &Out;
  void write_impl(const char *Ptr, size_t Size) override { Out.append(Ptr, Size); }
  uint64_t current_pos() const override { return Out.size(); }
};

} // namespace

bool Transport::send(llvm::function_ref<void(llvm::json::OStream &)> WriteMessage) {
  Body.clear();
  {
    BufferedStringStream OS(Body);
    llvm::json::OStream J(OS);
    WriteMessage(J);
  }
  Output = "Content-Length: ";
  Output += std::to_string(Body.size());
  Output += "\r\n\r\n";
  Output += Body;
  llvm::StringRef Pending = Output;
  while (!Pending.empty()) {
    ssize_t N = write(OutFd, Pending.data(), Pending.size());
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    Pending = Pending.drop_front(static_cast<size_t>(N));
  }
  return true;
}

} // namespace memlint::lsp
