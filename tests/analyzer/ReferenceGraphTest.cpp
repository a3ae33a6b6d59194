#include "ProjectTestHelpers.h"

#include <gtest/gtest.h>

using memlint::test::Project;
using Files = std::map<std::string, std::string>;

namespace {

std::string describe(const memlint::ReferenceCycle &C) {
  std::string Out = C.Creator->Class->Name;
  for (const memlint::ReferenceEdge &E : C.Edges)
    Out += " -" + E.Attr + "-> " + E.HeldText;
  return Out;
}

std::vector<std::string> cycles(const Project &P) {
  std::vector<std::string> Out;
  for (const memlint::ReferenceCycle &C : P.Graph->cycles())
    Out.push_back(describe(C) + " [weak: " + C.Edges[C.WeakEdge].label() + "]");
  return Out;
}

TEST(ReferenceGraph, ParentChildThroughAConstructorInAnotherModule) {
  Project P(Files{{"shop/__init__.py", ""},
             {"shop/lines.py", "class Line:\n    def __init__(self, order, sku):\n        self.order = order\n        self.sku = sku\n"},
             {"shop/orders.py", "from .lines import Line\n\nclass Order:\n    def __init__(self):\n        self.lines = []\n\n"
                                "    def add(self, sku):\n        self.lines.append(Line(self, sku))\n"}});
  EXPECT_EQ(cycles(P), std::vector<std::string>{"Order -lines-> `Line` -order-> `Order` [weak: `Line.order`]"});
  const memlint::ReferenceCycle &C = P.Graph->cycles().front();
  EXPECT_EQ(C.Edges[1].Module->ModuleName, "shop.lines"); // reported where the back-pointer is stored
  EXPECT_TRUE(P.Graph->isCyclicClass(P.Index->byQualifiedName("shop.orders.Order")));
}

TEST(ReferenceGraph, AChainOfNewObjectsIsNotACycle) {
  Project P(Files{{"ll.py", "class Node:\n    def __init__(self, n):\n        self.next = Node(n - 1) if n else None\n\n"
                       "    def push(self):\n        self.next = Node(3)\n"}});
  EXPECT_TRUE(cycles(P).empty());
}

TEST(ReferenceGraph, WeakAndClearedBackPointersBreakTheCycle) {
  Project P(Files{{"a.py", "import weakref\n\nclass Child:\n    def __init__(self, parent):\n        self.parent = weakref.ref(parent)\n\n"
                      "class Parent:\n    def __init__(self):\n        self.kids = [Child(self)]\n"},
             {"b.py", "class Child:\n    def __init__(self, parent):\n        self.parent = parent\n\n    def close(self):\n        self.parent = None\n\n"
                      "class Parent:\n    def add(self):\n        self.kid = Child(self)\n"},
             {"c.py", "import weakref\n\nclass Hub:\n    def __init__(self):\n        self.members = weakref.WeakSet()\n\n"
                      "    def join(self, m):\n        self.members.add(m)\n\n"
                      "class Member:\n    def __init__(self, hub: Hub):\n        self.hub = hub\n        hub.join(self)\n"}});
  EXPECT_TRUE(cycles(P).empty()) << cycles(P).front();
}

TEST(ReferenceGraph, BackReferenceStoredIntoAParameterThatSelfKeeps) {
  Project P(Files{{"tree.py", "class Node:\n    def __init__(self, parent):\n        self.parent = parent\n"
                         "        parent.children.append(self)\n"}});
  EXPECT_EQ(cycles(P), std::vector<std::string>{"Node -parent-> the `parent` argument -children-> `Node` [weak: `Node.parent`]"});
}

TEST(ReferenceGraph, RetentionThroughSuperAndHelperMethods) {
  Project P(Files{{"w.py", "class Base:\n    def __init__(self, owner):\n        self._owner = owner\n\n"
                      "class Button(Base):\n    def __init__(self, owner, text):\n        super().__init__(owner)\n        self.text = text\n\n"
                      "class Registry:\n    def __init__(self):\n        self.items = []\n\n    def keep(self, item):\n        self.items.append(item)\n\n"
                      "class Window:\n    def __init__(self):\n        self.ok = Button(self, 'OK')\n        self.registry = Registry()\n"
                      "        self.registry.keep(self.on_close)\n\n    def on_close(self):\n        pass\n"}});
  auto Found = cycles(P);
  ASSERT_EQ(Found.size(), 2u);
  EXPECT_EQ(Found[0], "Window -ok-> `Button` -_owner-> `Window` [weak: `Button._owner`]");
  EXPECT_EQ(Found[1], "Window -registry-> `self.registry` -items-> the bound method `self.on_close` [weak: `Registry.items`]");
}

TEST(ReferenceGraph, StaticMethodsAndPropertiesCarryNoSelf) {
  Project P(Files{{"s.py", "class Registry:\n    def __init__(self):\n        self.items = []\n\n    def keep(self, item):\n        self.items.append(item)\n\n"
                      "class Widget:\n    def __init__(self):\n        self.registry = Registry()\n        self.registry.keep(self.make)\n"
                      "        self.registry.keep(self.size)\n\n    @staticmethod\n    def make():\n        pass\n\n"
                      "    @property\n    def size(self):\n        return 1\n"}});
  EXPECT_TRUE(cycles(P).empty()) << cycles(P).front();
}

TEST(ReferenceGraph, RecursiveRetentionTerminates) {
  Project P(Files{{"r.py", "class A:\n    def set(self, x):\n        self.set(x)\n\n    def put(self, x):\n        self.a = A()\n        self.a.put(x)\n\n"
                      "    def link(self):\n        self.put(self)\n"}});
  EXPECT_TRUE(cycles(P).empty());
}

} // namespace
