//===- ImportTest.cpp - import / from-import / future / star imports --------===//

#include "LowerTestHelpers.h"

#include <gtest/gtest.h>

using namespace memlint;
using namespace memlint::test;

namespace {

TEST(Import, PlainDottedAndAliased) {
  auto M = lower("import os\nimport a.b.c\nimport a.b as c, x, y as z\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  ASSERT_EQ(M->imports().size(), 3u);
  const ImportStmt *I0 = M->imports()[0];
  ASSERT_EQ(I0->Names.size(), 1u);
  EXPECT_EQ(I0->Names[0].Name, "os");
  EXPECT_TRUE(I0->Names[0].AsName.empty());
  EXPECT_EQ(I0->Names[0].boundName(), "os");

  const ImportAlias &Dotted = M->imports()[1]->Names[0];
  EXPECT_EQ(Dotted.Name, "a.b.c");
  EXPECT_EQ(Dotted.boundName(), "a");

  const ImportStmt *I2 = M->imports()[2];
  ASSERT_EQ(I2->Names.size(), 3u);
  EXPECT_EQ(I2->Names[0].Name, "a.b");
  EXPECT_EQ(I2->Names[0].AsName, "c");
  EXPECT_EQ(I2->Names[0].boundName(), "c");
  EXPECT_EQ(M->text(I2->Names[0].Range), "a.b as c");
  EXPECT_EQ(I2->Names[1].boundName(), "x");
  EXPECT_EQ(I2->Names[2].boundName(), "z");

  const Scope &S = M->moduleScope();
  for (const char *Name : {"os", "a", "c", "x", "z"}) {
    const Symbol *Sym = S.lookupLocal(Name);
    ASSERT_TRUE(Sym) << Name;
    EXPECT_TRUE(Sym->has(SymImported)) << Name;
    EXPECT_TRUE(Sym->has(SymBound)) << Name;
  }
  EXPECT_FALSE(S.lookupLocal("y"));
  EXPECT_FALSE(S.lookupLocal("a.b"));
  EXPECT_FALSE(S.lookupLocal("b"));
}

TEST(Import, RelativeFromImport) {
  auto M =
      lower("from ..pkg.mod import y as z, w\nfrom . import sibling\nfrom .x import (p,\n q)\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  ASSERT_EQ(M->importFroms().size(), 3u);
  const ImportFromStmt *F0 = M->importFroms()[0];
  EXPECT_EQ(F0->Module, "pkg.mod");
  EXPECT_EQ(F0->Level, 2u);
  EXPECT_FALSE(F0->Star);
  ASSERT_EQ(F0->Names.size(), 2u);
  EXPECT_EQ(F0->Names[0].Name, "y");
  EXPECT_EQ(F0->Names[0].AsName, "z");
  EXPECT_EQ(F0->Names[0].boundName(), "z");
  EXPECT_EQ(F0->Names[1].Name, "w");

  const ImportFromStmt *F1 = M->importFroms()[1];
  EXPECT_EQ(F1->Module, "");
  EXPECT_EQ(F1->Level, 1u);
  ASSERT_EQ(F1->Names.size(), 1u);
  EXPECT_EQ(F1->Names[0].Name, "sibling");

  const ImportFromStmt *F2 = M->importFroms()[2];
  EXPECT_EQ(F2->Module, "x");
  EXPECT_EQ(F2->Level, 1u);
  EXPECT_EQ(F2->Names.size(), 2u);

  for (const char *Name : {"z", "w", "sibling", "p", "q"})
    EXPECT_TRUE(M->moduleScope().lookupLocal(Name)) << Name;
  EXPECT_FALSE(M->moduleScope().lookupLocal("y"));
  EXPECT_TRUE(M->imports().empty());
}

TEST(Import, AbsoluteFromImport) {
  auto M = lower("from os.path import join\n");
  const ImportFromStmt *F = M->importFroms()[0];
  EXPECT_EQ(F->Module, "os.path");
  EXPECT_EQ(F->Level, 0u);
  EXPECT_EQ(F->Names[0].boundName(), "join");
  EXPECT_TRUE(M->moduleScope().lookupLocal("join")->has(SymImported));
}

TEST(Import, StarImportSetsHasStarImport) {
  auto M = lower("from .helpers import *\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const ImportFromStmt *F = M->importFroms()[0];
  EXPECT_TRUE(F->Star);
  EXPECT_TRUE(F->Names.empty());
  EXPECT_EQ(F->Module, "helpers");
  EXPECT_EQ(F->Level, 1u);
  EXPECT_TRUE(M->moduleScope().HasStarImport);
  EXPECT_TRUE(M->moduleScope().Symbols.empty());
}

TEST(Import, NoStarImport) {
  auto M = lower("from x import y\n");
  EXPECT_FALSE(M->moduleScope().HasStarImport);
}

TEST(Import, FutureImport) {
  auto M = lower("from __future__ import annotations, division\nimport os\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  ASSERT_EQ(M->importFroms().size(), 1u);
  const ImportFromStmt *F = M->importFroms()[0];
  EXPECT_EQ(F->Module, "__future__");
  EXPECT_EQ(F->Level, 0u);
  ASSERT_EQ(F->Names.size(), 2u);
  EXPECT_EQ(F->Names[0].Name, "annotations");
  EXPECT_EQ(F->Names[1].Name, "division");
  EXPECT_EQ(M->body()[0]->Kind, StmtKind::ImportFrom);
  EXPECT_EQ(M->imports().size(), 1u);
}

TEST(Import, ImportInsideAFunctionBindsLocally) {
  auto M = lower("def f():\n    import json\n    from os import path as p\n    return json, p\n");
  const Scope *F = findFunction(*M, "f")->OwnScope;
  ASSERT_TRUE(F->lookupLocal("json"));
  EXPECT_TRUE(F->lookupLocal("json")->has(SymImported));
  ASSERT_TRUE(F->lookupLocal("p"));
  EXPECT_FALSE(M->moduleScope().lookupLocal("json"));
  const NameExpr *Json = findName(*M, "json");
  ASSERT_TRUE(Json);
  EXPECT_EQ(Json->Sym, F->lookupLocal("json"));
  EXPECT_EQ(M->imports().size(), 1u);
  EXPECT_EQ(M->importFroms().size(), 1u);
}

TEST(Import, ImportedNameResolvesForUses) {
  auto M = lower("import os.path\nos.path.join('a')\n");
  const NameExpr *Os = findName(*M, "os");
  ASSERT_TRUE(Os);
  ASSERT_TRUE(Os->Sym);
  EXPECT_TRUE(Os->Sym->has(SymImported));
  EXPECT_FALSE(M->isBuiltin(Os));
}

} // namespace
