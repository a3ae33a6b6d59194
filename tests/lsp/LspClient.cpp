#include "LspClient.h"

#include "llvm/Support/raw_ostream.h"

#include <stdexcept>

namespace memlint::test {

using llvm::json::Object;
using llvm::json::Value;

LspClient::LspClient(std::vector<std::string> ServerArgs)
    : Server([&] {
        std::vector<std::string> Argv = {MEMLINT_BINARY, "server"};
        Argv.insert(Argv.end(), ServerArgs.begin(), ServerArgs.end());
        return Argv;
      }()) {}

std::string LspClient::frame(const std::string &Body) {
  return "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" + Body;
}

std::string LspClient::frame(const Value &Message) {
  std::string Body;
  llvm::raw_string_ostream(Body) << Message;
  return frame(Body);
}

int64_t LspClient::request(llvm::StringRef Method, Value Params) {
  int64_t Id = NextId++;
  sendRaw(frame(
      Object{{"jsonrpc", "2.0"}, {"id", Id}, {"method", Method}, {"params", std::move(Params)}}));
  return Id;
}

void LspClient::notify(llvm::StringRef Method, Value Params) {
  sendRaw(frame(Object{{"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}}));
}

void LspClient::sendRaw(const std::string &Bytes) {
  if (!Server.write(Bytes))
    throw std::runtime_error("the server closed its input");
}

bool LspClient::receiveMore(std::chrono::milliseconds Timeout) {
  if (Server.read(Input, Timeout) != ChildProcess::ReadStatus::Data)
    return false;
  while (true) {
    size_t HeaderEnd = Input.find("\r\n\r\n");
    if (HeaderEnd == std::string::npos)
      return true;
    size_t At = Input.find("Content-Length: ");
    if (At == std::string::npos || At > HeaderEnd)
      throw std::runtime_error("server sent a header without Content-Length: " + Input);
    size_t Length = std::stoul(Input.substr(At + 16, HeaderEnd - At - 16));
    if (Input.size() < HeaderEnd + 4 + Length)
      return true;
    std::string Body = Input.substr(HeaderEnd + 4, Length);
    Input.erase(0, HeaderEnd + 4 + Length);
    llvm::Expected<Value> Message = llvm::json::parse(Body);
    if (!Message)
      throw std::runtime_error("server sent invalid JSON: " + llvm::toString(Message.takeError()));
    Backlog.push_back(std::move(*Message));
  }
}

std::optional<Value> LspClient::waitFor(const std::function<bool(const Value &)> &Match,
                                        std::chrono::milliseconds Timeout) {
  auto Deadline = std::chrono::steady_clock::now() + Timeout;
  size_t Checked = 0;
  while (true) {
    for (; Checked < Backlog.size(); ++Checked)
      if (Match(Backlog[Checked])) {
        Value Found = std::move(Backlog[Checked]);
        Backlog.erase(Backlog.begin() + static_cast<std::ptrdiff_t>(Checked));
        return Found;
      }
    auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
        Deadline - std::chrono::steady_clock::now());
    if (Left.count() <= 0 || !receiveMore(Left))
      return std::nullopt;
  }
}

std::optional<Value> LspClient::response(int64_t Id) {
  return waitFor([&](const Value &M) {
    const Object *O = M.getAsObject();
    return O && !O->get("method") && O->getInteger("id") == Id;
  });
}

std::optional<Value> LspClient::diagnostics(llvm::StringRef Uri, std::optional<int64_t> Version) {
  auto Message = waitFor([&](const Value &M) {
    const Object *O = M.getAsObject();
    if (!O || O->getString("method") != llvm::StringRef("textDocument/publishDiagnostics"))
      return false;
    const Object *Params = O->getObject("params");
    return Params && Params->getString("uri") == Uri &&
           (!Version || Params->getInteger("version") == *Version);
  });
  if (!Message)
    return std::nullopt;
  return *Message->getAsObject()->get("params");
}

int LspClient::shutdownAndExit() {
  int64_t Id = request("shutdown", nullptr);
  if (!response(Id))
    return -2;
  notify("exit", nullptr);
  return Server.wait(std::chrono::seconds(10));
}

const llvm::json::Array &diagnosticList(const Value &PublishParams) {
  static const llvm::json::Array Empty;
  const Object *O = PublishParams.getAsObject();
  const llvm::json::Array *List = O ? O->getArray("diagnostics") : nullptr;
  return List ? *List : Empty;
}

} // namespace memlint::test
