#include "ProjectTestHelpers.h"

#include <gtest/gtest.h>

using memlint::test::Project;
using Files = std::map<std::string, std::string>;

namespace {

TEST(ModuleNames, FollowThePackageLayout) {
  Project P(Files{{"app/__init__.py", ""}, {"app/db/__init__.py", ""}, {"app/db/models.py", ""}, {"tool.py", ""}});
  EXPECT_EQ(P.module("app/db/models.py").ModuleName, "app.db.models");
  EXPECT_EQ(P.module("app/db/__init__.py").ModuleName, "app.db");
  EXPECT_TRUE(P.module("app/db/__init__.py").IsPackage);
  EXPECT_EQ(P.module("tool.py").ModuleName, "tool");
}

TEST(ProjectIndex, ResolvesRelativeAbsoluteAliasedAndReExportedNames) {
  Project P(Files{{"shop/__init__.py", "from .models import Order\n"},
             {"shop/models.py", "class Order:\n    pass\n\nclass Line:\n    pass\n"},
             {"shop/views.py", "from .models import Line as L\nfrom . import models\nimport shop.models as m\n"
                               "from shop import Order\nfrom .missing import Gone\n"}});
  const auto &Views = P.module("shop/views.py");
  auto Name = [&](llvm::StringRef Dotted) {
    const memlint::ClassRef *R = P.Index->resolveClass(Views, Dotted);
    return R ? R->QualifiedName : std::string("<none>");
  };
  EXPECT_EQ(Name("L"), "shop.models.Line");
  EXPECT_EQ(Name("models.Order"), "shop.models.Order");
  EXPECT_EQ(Name("m.Line"), "shop.models.Line");
  EXPECT_EQ(Name("Order"), "shop.models.Order"); // re-exported by the package's __init__
  EXPECT_EQ(Name("Gone"), "<none>");               // unresolvable stays unknown
  EXPECT_EQ(Name("Line"), "<none>");               // not imported under that name
}

TEST(ProjectIndex, BasesAndMethodsAcrossModules) {
  Project P(Files{{"pkg/__init__.py", ""},
             {"pkg/base.py", "class Base:\n    def close(self):\n        pass\n"},
             {"pkg/impl.py", "from .base import Base\nimport enum\n\nclass Impl(Base, Unknown):\n    pass\n\n"
                             "class Color(enum.Enum):\n    RED = 1\n"}});
  const memlint::ClassRef *Impl = P.Index->byQualifiedName("pkg.impl.Impl");
  ASSERT_NE(Impl, nullptr);
  bool AllKnown = true;
  auto Bases = P.Index->bases(*Impl, &AllKnown);
  ASSERT_EQ(Bases.size(), 1u);
  EXPECT_EQ(Bases[0]->QualifiedName, "pkg.base.Base");
  EXPECT_FALSE(AllKnown); // `Unknown` is not a project class
  const memlint::ClassRef *Owner = nullptr;
  EXPECT_NE(P.Index->findMethod(*Impl, "close", &Owner), nullptr);
  EXPECT_EQ(Owner->QualifiedName, "pkg.base.Base");
  EXPECT_TRUE(P.Index->derivesFrom(*P.Index->byQualifiedName("pkg.impl.Color"), "Enum"));
  EXPECT_FALSE(P.Index->derivesFrom(*Impl, "Enum"));
}

TEST(ProjectIndex, AttributeTypesComeFromInstancesAnnotationsAndGlobals) {
  Project P(Files{{"bus.py", "class Bus:\n    pass\n\nbus = Bus()\n"},
             {"app.py", "from bus import Bus, bus\n\nclass Engine:\n    pass\n\n"
                        "class App:\n    def __init__(self, b: Bus, other):\n        self.engine = Engine()\n"
                        "        self.b = b\n        self.shared = bus\n        self.other = other\n"}});
  const memlint::ClassRef *App = P.Index->byQualifiedName("app.App");
  ASSERT_NE(App, nullptr);
  auto Types = [&](llvm::StringRef Attr) {
    std::string Out;
    for (const memlint::ClassRef *T : P.Index->attributeTypes(*App, Attr))
      Out += T->QualifiedName + ";";
    return Out;
  };
  EXPECT_EQ(Types("engine"), "app.Engine;");
  EXPECT_EQ(Types("b"), "bus.Bus;");
  EXPECT_EQ(Types("shared"), "bus.Bus;");
  EXPECT_EQ(Types("other"), ""); // unannotated parameter: unknown, not guessed
}

} // namespace
