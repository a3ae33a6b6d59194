//===- Baseline.cpp - `check --baseline` ------------------------------------===//
#include "analyzer/Baseline.h"

#include "rules/Registry.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

namespace memlint {

std::string findingFingerprint(llvm::StringRef Code, llvm::StringRef Message,
                               llvm::StringRef LineText) {
  std::string Key = Code.str();
  Key += '\0';
  bool InDigits = false;
  for (char C : Message) {
    bool Digit = llvm::isDigit(C);
    if (!Digit)
      Key += C;
    else if (!InDigits)
      Key += '0';
    InDigits = Digit;
  }
  Key += '\0';
  for (char C : LineText)
    if (!llvm::isSpace(C))
      Key += C;
  return llvm::utohexstr(llvm::xxHash64(Key), /*LowerCase=*/true, /*Width=*/16);
}

void assignFingerprints(std::vector<Diagnostic> &Diags) {
  llvm::StringMap<std::vector<Diagnostic *>> ByPath;
  for (Diagnostic &D : Diags)
    if (D.Fingerprint.empty())
      ByPath[D.Path].push_back(&D);
  for (auto &Entry : ByPath) {
    std::unique_ptr<SourceFile> Source;
    // Only regular files: opening a FIFO would block (the check reported it as E902 anyway).
    llvm::sys::fs::file_status Status;
    if (!llvm::sys::fs::status(Entry.first(), Status) &&
        Status.type() == llvm::sys::fs::file_type::regular_file) {
      auto Buffer = llvm::MemoryBuffer::getFile(Entry.first(), /*IsText=*/false,
                                                /*RequiresNullTerminator=*/false);
      // The lines as the check saw them: decoded like the check decodes (on a decoding error,
      // the raw bytes).
      if (Buffer && (*Buffer)->getBufferSize() < UINT32_MAX / 4) {
        DecodedSource Decoded = decodeSource((*Buffer)->getBuffer().str());
        Source = std::make_unique<SourceFile>(Entry.first().str(), std::move(Decoded.Text));
      }
    }
    for (Diagnostic *D : Entry.second) {
      llvm::StringRef Line;
      if (Source && D->Start.Line >= 1 && D->Start.Line <= Source->lineCount())
        Line = Source->lineText(D->Start.Line);
      D->Fingerprint = findingFingerprint(D->Code, D->Message, Line);
    }
  }
}

namespace {

/// Paths as given on two command lines may differ (`./src/a.py`, `src/a.py`): compare them
/// absolute against the current directory, without `.` and `..`.
std::string normalizePath(llvm::StringRef Path) {
  llvm::SmallString<256> Out(Path);
  llvm::sys::fs::make_absolute(Out);
  llvm::sys::path::remove_dots(Out, /*remove_dot_dot=*/true);
  return std::string(Out);
}

std::string join(std::initializer_list<llvm::StringRef> Parts) {
  std::string Key;
  for (llvm::StringRef P : Parts) {
    Key += P;
    Key += '\0';
  }
  return Key;
}

/// The key of an entry without a fingerprint; Path is normalized.
std::string exactKey(llvm::StringRef Path, llvm::StringRef Code, int64_t Line, int64_t Column,
                     llvm::StringRef Message) {
  return join({Path, Code, std::to_string(Line), std::to_string(Column), Message});
}

} // namespace

llvm::Expected<Baseline> Baseline::load(llvm::StringRef File) {
  auto Fail = [&](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   (File + ": not a memlint baseline: " + Why).str());
  };
  auto Buffer = llvm::MemoryBuffer::getFile(File, /*IsText=*/true);
  if (!Buffer)
    return llvm::createStringError(
        Buffer.getError(), (File + ": cannot read baseline: " + Buffer.getError().message()).str());
  llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse((*Buffer)->getBuffer());
  if (!Parsed)
    return Fail("invalid JSON (" + llvm::toString(Parsed.takeError()) + ")");
  const llvm::json::Array *Findings = Parsed->getAsArray();
  if (!Findings)
    return Fail("expected the array that `memlint check --format json` writes");
  Baseline B;
  for (size_t I = 0; I < Findings->size(); ++I) {
    const llvm::json::Object *F = (*Findings)[I].getAsObject();
    auto Path = F ? F->getString("path") : llvm::None;
    auto Code = F ? F->getString("code") : llvm::None;
    if (!Path || !Code)
      return Fail("finding " + llvm::Twine(I + 1) + " has no string `path` and `code`");
    ++B.Entries;
    if (auto Fingerprint = F->getString("fingerprint")) {
      ++B.Counts[join({normalizePath(*Path), *Code, *Fingerprint})];
      continue;
    }
    auto Line = F->getInteger("line"), Column = F->getInteger("column");
    auto Message = F->getString("message");
    if (!Line || !Column || !Message)
      return Fail("finding " + llvm::Twine(I + 1) +
                  " has neither a `fingerprint` nor `line`, `column` and `message`");
    ++B.ExactCounts[exactKey(normalizePath(*Path), *Code, *Line, *Column, *Message)];
  }
  return B;
}

size_t Baseline::filter(std::vector<Diagnostic> &Diags) const {
  std::map<std::string, size_t> Left = Counts, ExactLeft = ExactCounts;
  std::map<std::string, std::string> Normalized; // path -> normalized, computed once
  auto Consume = [](std::map<std::string, size_t> &From, const std::string &Key) {
    auto It = From.find(Key);
    if (It == From.end() || It->second == 0)
      return false;
    --It->second;
    return true;
  };
  size_t Before = Diags.size();
  llvm::erase_if(Diags, [&](const Diagnostic &D) {
    if (D.Code == IoErrorInfo.Code)
      return false;
    auto [It, New] = Normalized.try_emplace(D.Path);
    if (New)
      It->second = normalizePath(D.Path);
    if (!D.Fingerprint.empty() && Consume(Left, join({It->second, D.Code, D.Fingerprint})))
      return true;
    return Consume(ExactLeft,
                   exactKey(It->second, D.Code, D.Start.Line, D.Start.Column, D.Message));
  });
  return Before - Diags.size();
}

} // namespace memlint
