#include "Protocol.h"

#include "llvm/ADT/StringExtras.h"

namespace memlint::lsp {

using llvm::json::ObjectMapper;
using llvm::json::Path;
using llvm::json::Value;

namespace {

bool readUint32(const Value &V, uint32_t &Out, Path P) {
  llvm::Optional<int64_t> N = V.getAsInteger();
  if (!N || *N < 0 || *N > UINT32_MAX) {
    P.report("expected a non-negative 32-bit integer");
    return false;
  }
  Out = static_cast<uint32_t>(*N);
  return true;
}

/// Selectors are upper-case codes; a setting may also hold one comma-separated string.
bool readSelectors(const Value &V, std::vector<std::string> &Out, Path P) {
  std::vector<std::string> Items;
  if (llvm::Optional<llvm::StringRef> S = V.getAsString()) {
    llvm::SmallVector<llvm::StringRef, 8> Parts;
    S->split(Parts, ',', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef Part : Parts)
      Items.push_back(Part.str());
  } else if (!fromJSON(V, Items, P)) {
    return false;
  }
  Out.clear();
  for (const std::string &Item : Items)
    if (!llvm::StringRef(Item).trim().empty())
      Out.push_back(llvm::StringRef(Item).trim().upper());
  return true;
}

} // namespace

bool fromJSON(const Value &V, LspPosition &Out, Path P) {
  const llvm::json::Object *O = V.getAsObject();
  if (!O) {
    P.report("expected a position object");
    return false;
  }
  const Value *Line = O->get("line"), *Character = O->get("character");
  if (!Line || !Character) {
    P.report("a position needs `line` and `character`");
    return false;
  }
  return readUint32(*Line, Out.Line, P.field("line")) &&
         readUint32(*Character, Out.Character, P.field("character"));
}

bool fromJSON(const Value &V, LspRange &Out, Path P) {
  ObjectMapper O(V, P);
  return O && O.map("start", Out.Start) && O.map("end", Out.End);
}

bool fromJSON(const Value &V, TextDocumentIdentifier &Out, Path P) {
  ObjectMapper O(V, P);
  return O && O.map("uri", Out.Uri);
}

bool fromJSON(const Value &V, TextDocumentItem &Out, Path P) {
  ObjectMapper O(V, P);
  return O && O.map("uri", Out.Uri) && O.mapOptional("languageId", Out.LanguageId) &&
         O.map("version", Out.Version) && O.map("text", Out.Text);
}

bool fromJSON(const Value &V, VersionedTextDocumentIdentifier &Out, Path P) {
  ObjectMapper O(V, P);
  return O && O.map("uri", Out.Uri) && O.map("version", Out.Version);
}

bool fromJSON(const Value &V, ContentChange &Out, Path P) {
  ObjectMapper O(V, P);
  return O && O.map("range", Out.Range) && O.map("text", Out.Text);
}

bool fromJSON(const Value &V, DidOpenParams &Out, Path P) {
  ObjectMapper O(V, P);
  return O && O.map("textDocument", Out.TextDocument);
}

bool fromJSON(const Value &V, DidChangeParams &Out, Path P) {
  ObjectMapper O(V, P);
  return O && O.map("textDocument", Out.TextDocument) &&
         O.map("contentChanges", Out.ContentChanges);
}

bool fromJSON(const Value &V, DocumentParams &Out, Path P) {
  ObjectMapper O(V, P);
  return O && O.map("textDocument", Out.TextDocument);
}

bool fromJSON(const Value &V, CodeActionParams &Out, Path P) {
  ObjectMapper O(V, P);
  if (!O || !O.map("textDocument", Out.TextDocument) || !O.map("range", Out.Range))
    return false;
  const llvm::json::Object *Context = V.getAsObject()->getObject("context");
  if (!Context)
    return true;
  // Diagnostics of other tools share the list and may lack a code; they are simply not ours.
  if (const llvm::json::Array *Diagnostics = Context->getArray("diagnostics"))
    for (const Value &D : *Diagnostics) {
      const llvm::json::Object *O = D.getAsObject();
      const Value *Range = O ? O->get("range") : nullptr;
      llvm::Optional<llvm::StringRef> Code = O ? O->getString("code") : llvm::None;
      llvm::json::Path::Root Ignored;
      DiagnosticRef Ref;
      if (Range && Code && fromJSON(*Range, Ref.Range, Ignored)) {
        Ref.Code = Code->str();
        if (const llvm::json::Object *Data = O->getObject("data")) {
          Ref.CheckedVersion = Data->getInteger("version");
          Ref.Index = Data->getInteger("index");
        }
        Out.Diagnostics.push_back(std::move(Ref));
      }
    }
  if (const Value *Only = Context->get("only"); Only && !Only->getAsNull())
    return fromJSON(*Only, Out.Only, P.field("context").field("only"));
  return true;
}

bool fromJSON(const Value &V, FileEvent &Out, Path P) {
  ObjectMapper O(V, P);
  return O && O.map("uri", Out.Uri) && O.map("type", Out.Type);
}

bool fromJSON(const Value &V, DidChangeWatchedFilesParams &Out, Path P) {
  ObjectMapper O(V, P);
  return O && O.map("changes", Out.Changes);
}

bool fromJSON(const Value &V, EditorSettings &Out, Path P) {
  const llvm::json::Object *O = V.getAsObject();
  if (!O) {
    P.report("expected an object of memlint settings");
    return false;
  }
  if (const Value *Select = O->get("select"); Select && !Select->getAsNull())
    if (!readSelectors(*Select, Out.Select, P.field("select")))
      return false;
  if (const Value *Ignore = O->get("ignore"); Ignore && !Ignore->getAsNull())
    if (!readSelectors(*Ignore, Out.Ignore, P.field("ignore")))
      return false;
  return true;
}

std::string uriToPath(llvm::StringRef Uri) {
  if (!Uri.consume_front_insensitive("file://"))
    return {};
  Uri.consume_front("localhost");
  std::string Path;
  Path.reserve(Uri.size());
  for (size_t I = 0; I < Uri.size(); ++I) {
    unsigned Hi, Lo;
    if (Uri[I] == '%' && I + 2 < Uri.size() && (Hi = llvm::hexDigitValue(Uri[I + 1])) != ~0U &&
        (Lo = llvm::hexDigitValue(Uri[I + 2])) != ~0U) {
      Path.push_back(static_cast<char>(Hi * 16 + Lo));
      I += 2;
    } else {
      Path.push_back(Uri[I]);
    }
  }
  return Path;
}

std::string pathToUri(llvm::StringRef Path) {
  std::string Uri = "file://";
  for (char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-._~").contains(C)) {
      Uri.push_back(C);
    } else {
      Uri.push_back('%');
      Uri.push_back(llvm::hexdigit(static_cast<unsigned char>(C) >> 4));
      Uri.push_back(llvm::hexdigit(static_cast<unsigned char>(C) & 15));
    }
  }
  return Uri;
}

} // namespace memlint::lsp

namespace memlint::lsp {

void writeRange(llvm::json::OStream &J, llvm::StringRef Key, const LspRange &R) {
  auto Position = [&](llvm::StringRef Name, const LspPosition &P) {
    J.attributeObject(Name, [&] {
      J.attribute("line", static_cast<int64_t>(P.Line));
      J.attribute("character", static_cast<int64_t>(P.Character));
    });
  };
  J.attributeObject(Key, [&] {
    Position("start", R.Start);
    Position("end", R.End);
  });
}

void writeString(llvm::json::OStream &J, llvm::StringRef Key, llvm::StringRef Text) {
  // A message that quotes a snippet cut inside a character: let json::Value repair it.
  if (!llvm::json::isUTF8(Text))
    return J.attribute(Key, llvm::json::fixUTF8(Text));
  J.attributeBegin(Key);
  J.rawValue([&](llvm::raw_ostream &OS) {
    static constexpr char Hex[] = "0123456789abcdef";
    OS << '"';
    size_t Run = 0;
    for (size_t I = 0; I < Text.size(); ++I) {
      auto C = static_cast<unsigned char>(Text[I]);
      if (C >= 0x20 && C != '"' && C != '\\')
        continue;
      OS.write(Text.data() + Run, I - Run);
      Run = I + 1;
      switch (C) {
      case '"':
        OS << "\\\"";
        break;
      case '\\':
        OS << "\\\\";
        break;
      case '\n':
        OS << "\\n";
        break;
      case '\t':
        OS << "\\t";
        break;
      case '\r':
        OS << "\\r";
        break;
      default:
        OS << "\\u00" << Hex[C >> 4] << Hex[C & 0xF];
      }
    }
    OS.write(Text.data() + Run, Text.size() - Run);
    OS << '"';
  });
  J.attributeEnd();
}

} // namespace memlint::lsp
