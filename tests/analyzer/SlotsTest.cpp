//===- SlotsTest.cpp - class-shape facts and the SLT project view ------------===//
#include "ProjectTestHelpers.h"
#include "rules/slt/SltSupport.h"

#include <gtest/gtest.h>

using memlint::test::Project;
using Files = std::map<std::string, std::string>;

namespace {

const memlint::ClassSummary &classNamed(const memlint::ModuleSummary &M, llvm::StringRef Name) {
  const memlint::ClassSummary *C = M.findClass(Name);
  if (!C)
    throw std::runtime_error("no class " + Name.str());
  return *C;
}

// The table the SLT messages quote: CPython 3.11.7, tracemalloc over 100,000 instances (see
// SltSupport.cpp for the measurement).
TEST(SlotsEstimate, MatchesTheCPython311Measurements) {
  using memlint::slt::estimateInstanceBytes;
  EXPECT_EQ(estimateInstanceBytes(0).WithDict, 72u);
  EXPECT_EQ(estimateInstanceBytes(0).WithSlots, 32u);
  EXPECT_EQ(estimateInstanceBytes(2).WithDict, 88u);
  EXPECT_EQ(estimateInstanceBytes(2).WithSlots, 48u);
  EXPECT_EQ(estimateInstanceBytes(5).WithDict, 112u);
  EXPECT_EQ(estimateInstanceBytes(6).WithDict, 128u); // the values array grows a step
  EXPECT_EQ(estimateInstanceBytes(10).WithDict, 160u);
  EXPECT_EQ(estimateInstanceBytes(10).WithSlots, 112u);
  EXPECT_EQ(estimateInstanceBytes(29).WithDict, 320u);
  EXPECT_EQ(estimateInstanceBytes(30).WithDict, 1640u); // no more key sharing
  EXPECT_EQ(estimateInstanceBytes(86).WithDict, 3384u);
  for (unsigned N = 0; N < 100; ++N)
    EXPECT_GT(estimateInstanceBytes(N).WithDict, estimateInstanceBytes(N).WithSlots) << N;
}

TEST(ClassShape, BasesDictNeedsAndFixAnchors) {
  Project P(Files{
      {"m.py", "import collections\nfrom dataclasses import dataclass\n"
               "from typing import Generic, TypeVar\nT = TypeVar('T')\n\n"
               "class S(str):\n    \"\"\"Doc.\"\"\"\n\n    def up(self):\n        return self\n\n"
               "class N(collections.namedtuple('N', 'a b'), Generic[T]):\n    def f(self):\n"
               "        return super().f()\n\n"
               "class D:\n    def __getattr__(self, name):\n        return 1\n\n"
               "class New(int):\n    def __new__(cls, v):\n        self = super().__new__(cls, v)\n"
               "        self.tag = 1\n        return self\n\n"
               "@dataclass(frozen=True)\nclass P:\n    x: int\n    y: 'ClassVar[int]' = 0\n"}});
  const memlint::ModuleSummary &M = P.module("m.py");

  const auto &S = classNamed(M, "S");
  ASSERT_EQ(S.Shape.BaseShapes.size(), 1u);
  EXPECT_EQ(S.Shape.BaseShapes[0].Head, "builtins.str");
  EXPECT_EQ(S.Shape.SlotsLineText, "    __slots__ = ()\n"); // after the docstring
  EXPECT_EQ(S.Shape.SlotsLineAt.Start.Line, 8u);
  EXPECT_TRUE(S.Shape.NeedsDict.empty());

  const auto &N = classNamed(M, "N");
  ASSERT_EQ(N.Shape.BaseShapes.size(), 2u);
  EXPECT_EQ(N.Shape.BaseShapes[0].Form, '(');
  EXPECT_EQ(N.Shape.BaseShapes[0].Head, "collections.namedtuple");
  EXPECT_EQ(N.Shape.BaseShapes[1].Form, '[');
  EXPECT_EQ(N.Shape.BaseShapes[1].Head, "Generic");
  EXPECT_TRUE(N.Shape.ZeroArgSuper);
  EXPECT_EQ(N.Shape.SlotsLineText, "    __slots__ = ()\n\n"); // a blank line before the def

  EXPECT_EQ(classNamed(M, "D").Shape.NeedsDict, "it defines `__getattr__`");
  EXPECT_EQ(classNamed(M, "New").Shape.NeedsDict, "it sets `self.tag` in `__new__`");

  const auto &Dc = classNamed(M, "P");
  EXPECT_EQ(Dc.Shape.DataclassSlotsText, ", slots=True");
  EXPECT_FALSE(Dc.Shape.DataclassSlotsGiven);
  ASSERT_EQ(Dc.Shape.Variables.size(), 2u);
  EXPECT_FALSE(Dc.Shape.Variables[0].ClassVar);
  EXPECT_TRUE(Dc.Shape.Variables[1].ClassVar); // a string annotation naming ClassVar
}

TEST(SlotsView, InstantiationEvidenceAcrossModulesButNotFromTests) {
  Project P(
      Files{{"app/__init__.py", ""},
            {"app/models.py", "class Row:\n    def __init__(self, a):\n        self.a = a\n\n"
                              "class Probe:\n    def __init__(self, a):\n        self.a = a\n"},
            {"app/load.py", "from .models import Row\n\ndef load(xs):\n"
                            "    return [Row(x) for x in xs]\n"},
            {"app/tests/__init__.py", ""},
            {"app/tests/test_models.py", "from app.models import Probe\nimport weakref\n\n"
                                         "def test(xs):\n    for x in xs:\n"
                                         "        p = Probe(x)\n        weakref.ref(p)\n"}});
  memlint::slt::SlotsView View(*P.Index);
  const memlint::ClassRef *Row = P.Index->byQualifiedName("app.models.Row");
  const memlint::ClassRef *Probe = P.Index->byQualifiedName("app.models.Probe");
  ASSERT_TRUE(Row && Probe);
  const auto *Use = View.repeatedUse(*Row);
  ASSERT_NE(Use, nullptr);
  EXPECT_EQ(Use->second->Context, "a comprehension");
  EXPECT_EQ(View.repeatedUse(*Probe), nullptr); // only tests create Probes in a loop
  EXPECT_TRUE(View.isInstantiated(*Probe));
  EXPECT_TRUE(View.isWeaklyReferenced(*Probe));
  auto Holder = memlint::slt::manyInstanceDataHolder(View, *Row);
  ASSERT_TRUE(Holder.has_value());
  EXPECT_EQ(Holder->Attributes, std::vector<std::string>{"a"});
}

TEST(SlotsView, TestPaths) {
  using memlint::slt::isTestPath;
  EXPECT_TRUE(isTestPath("pkg/tests/helpers.py"));
  EXPECT_TRUE(isTestPath("test_models.py"));
  EXPECT_TRUE(isTestPath("src/models_test.py"));
  EXPECT_TRUE(isTestPath("conftest.py"));
  EXPECT_FALSE(isTestPath("src/testing_utils.py"));
  EXPECT_FALSE(isTestPath("app/contest.py"));
}

} // namespace
