//===- EventTest.cpp - Per-scope events and the origins of stored values ----===//

#include "LowerTestHelpers.h"

#include <gtest/gtest.h>

using namespace memlint;
using namespace memlint::test;

namespace {

const char *Widget = "import weakref, functools\n"
                     "class Widget:\n"
                     "    def __init__(self, parent, cb):\n"
                     "        self.parent = parent\n"
                     "        self.me = self\n"
                     "        self.child = Child(self)\n"
                     "        self.cb = self.on_event\n"
                     "        self.fn = lambda: self.x\n"
                     "        self.ref = weakref.ref(self)\n"
                     "        self.p = functools.partial(self.on_event, 1)\n"
                     "        self.items.append(Child(self))\n"
                     "        self.lit = 'text'\n"
                     "        self.lst = [self, cb]\n"
                     "        self.d[cb] = parent\n"
                     "        self.proxy = weakref.proxy(parent)\n"
                     "        self.other = make_thing()\n"
                     "        self.bm = parent.handle\n"
                     "    def on_event(self):\n"
                     "        pass\n";

class WidgetEvents : public ::testing::Test {
protected:
  void SetUp() override {
    M = lower(Widget);
    ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
    const FunctionDef *Init = findFunction(*M, "__init__");
    ASSERT_TRUE(Init);
    S = Init->OwnScope;
  }
  const Origin &valueOf(llvm::StringRef Attr) {
    const Event *E = attributeStore(*S, Attr);
    EXPECT_TRUE(E) << Attr.str();
    static const Origin None;
    return E ? E->ValueOrigin : None;
  }
  std::unique_ptr<Module> M;
  const Scope *S = nullptr;
};

TEST_F(WidgetEvents, AttributeStoreOnSelf) {
  const Event *E = attributeStore(*S, "parent");
  ASSERT_TRUE(E);
  EXPECT_EQ(E->Kind, EventKind::AttributeStore);
  EXPECT_EQ(M->text(E->Target), "self.parent");
  EXPECT_EQ(M->text(E->Value), "parent");
  EXPECT_EQ(E->TargetBase.Kind, OriginKind::Self);
  ASSERT_TRUE(E->Statement);
  EXPECT_EQ(E->Statement->Kind, StmtKind::Assign);
  EXPECT_EQ(M->text(E->Statement->Range), "self.parent = parent");
  EXPECT_EQ(M->text(E->Range), "self.parent");
}

TEST_F(WidgetEvents, ParameterAndSelfOrigins) {
  const Origin &P = valueOf("parent");
  EXPECT_EQ(P.Kind, OriginKind::Parameter);
  EXPECT_EQ(P.Index, 1u); // self is parameter 0
  EXPECT_EQ(valueOf("me").Kind, OriginKind::Self);
}

TEST_F(WidgetEvents, NewInstance) {
  const Origin &O = valueOf("child");
  EXPECT_EQ(O.Kind, OriginKind::NewInstance);
  EXPECT_EQ(O.Name, "Child");
  EXPECT_EQ(valueOf("other").Kind, OriginKind::Call); // lower-case callee: not a class
}

TEST_F(WidgetEvents, BoundMethod) {
  const Origin &O = valueOf("cb");
  EXPECT_EQ(O.Kind, OriginKind::BoundMethod);
  EXPECT_EQ(O.Name, "on_event");
  ASSERT_TRUE(O.Base);
  EXPECT_EQ(O.Base->Kind, OriginKind::Self);
  const Origin &OnParam = valueOf("bm");
  EXPECT_EQ(OnParam.Kind, OriginKind::BoundMethod);
  EXPECT_EQ(OnParam.Name, "handle");
  ASSERT_TRUE(OnParam.Base);
  EXPECT_EQ(OnParam.Base->Kind, OriginKind::Parameter);
}

TEST_F(WidgetEvents, ClosureCapturingSelf) {
  const Origin &O = valueOf("fn");
  EXPECT_EQ(O.Kind, OriginKind::Closure);
  EXPECT_EQ(names(O.Captures), (std::vector<std::string>{"self"}));
  EXPECT_TRUE(S->lookupLocal("self")->has(SymCaptured));
}

TEST_F(WidgetEvents, WeakReferences) {
  const Origin &Ref = valueOf("ref");
  EXPECT_EQ(Ref.Kind, OriginKind::WeakReference);
  ASSERT_TRUE(Ref.Base);
  EXPECT_EQ(Ref.Base->Kind, OriginKind::Self);
  const Origin &Proxy = valueOf("proxy");
  EXPECT_EQ(Proxy.Kind, OriginKind::WeakReference);
  ASSERT_TRUE(Proxy.Base);
  EXPECT_EQ(Proxy.Base->Kind, OriginKind::Parameter);
}

TEST_F(WidgetEvents, PartialOfABoundMethodIsTheBoundMethod) {
  const Origin &O = valueOf("p");
  EXPECT_EQ(O.Kind, OriginKind::BoundMethod);
  EXPECT_EQ(O.Name, "on_event");
  ASSERT_TRUE(O.Base);
  EXPECT_EQ(O.Base->Kind, OriginKind::Self);
}

TEST_F(WidgetEvents, LiteralAndContainer) {
  EXPECT_EQ(valueOf("lit").Kind, OriginKind::Literal);
  const Origin &L = valueOf("lst");
  EXPECT_EQ(L.Kind, OriginKind::Container);
  ASSERT_EQ(L.Elements.size(), 2u);
  EXPECT_EQ(L.Elements[0].Kind, OriginKind::Self);
  EXPECT_EQ(L.Elements[1].Kind, OriginKind::Parameter);
  EXPECT_EQ(L.Elements[1].Index, 2u);
}

TEST_F(WidgetEvents, ContainerMutation) {
  std::vector<const Event *> Muts = eventsOf(*S, EventKind::ContainerMutation);
  ASSERT_EQ(Muts.size(), 1u);
  const Event *E = Muts[0];
  EXPECT_EQ(E->Method, "append");
  EXPECT_EQ(M->text(E->Target), "self.items");
  EXPECT_EQ(E->TargetBase.Kind, OriginKind::Self);
  EXPECT_EQ(M->text(E->Value), "Child(self)");
  EXPECT_EQ(E->ValueOrigin.Kind, OriginKind::NewInstance);
  EXPECT_EQ(E->ValueOrigin.Name, "Child");
}

TEST_F(WidgetEvents, SubscriptStore) {
  std::vector<const Event *> Subs = eventsOf(*S, EventKind::SubscriptStore);
  ASSERT_EQ(Subs.size(), 1u);
  EXPECT_EQ(M->text(Subs[0]->Target), "self.d[cb]");
  EXPECT_EQ(Subs[0]->TargetBase.Kind, OriginKind::Self);
  EXPECT_EQ(Subs[0]->ValueOrigin.Kind, OriginKind::Parameter);
}

TEST_F(WidgetEvents, CallsAreEvents) {
  std::vector<const Event *> Calls = eventsOf(*S, EventKind::Call);
  std::vector<std::string> Texts;
  for (const Event *E : Calls)
    Texts.push_back(M->text(E->Value).str());
  std::vector<std::string> Want = {"Child(self)",
                                   "weakref.ref(self)",
                                   "functools.partial(self.on_event, 1)",
                                   "self.items.append(Child(self))",
                                   "Child(self)",
                                   "weakref.proxy(parent)",
                                   "make_thing()"};
  EXPECT_EQ(Texts, Want);
}

TEST_F(WidgetEvents, EventsStayInTheirScope) {
  // The method body's events are not the class's or the module's.
  EXPECT_TRUE(findClass(*M, "Widget")->OwnScope->Events.empty());
  EXPECT_TRUE(M->moduleScope().Events.empty());
  EXPECT_TRUE(findFunction(*M, "on_event")->OwnScope->Events.empty());
  // Lambdas do not get a separate event list.
  EXPECT_TRUE(findScope(*M, ScopeKind::Lambda)->Events.empty());
}

TEST(Events, SingleAssignmentLocalsCarryTheirOrigin) {
  auto M = lower("class A:\n"
                 "    def m(self):\n"
                 "        child = Child(self)\n"
                 "        self.kids.append(child)\n"
                 "        handler = self.on_x\n"
                 "        self.h = handler\n"
                 "        again = 1\n"
                 "        again = Thing()\n"
                 "        self.a = again\n");
  const Scope *S = findFunction(*M, "m")->OwnScope;
  std::vector<const Event *> Muts = eventsOf(*S, EventKind::ContainerMutation);
  ASSERT_EQ(Muts.size(), 1u);
  EXPECT_EQ(Muts[0]->ValueOrigin.Kind, OriginKind::NewInstance);
  const Event *H = attributeStore(*S, "h");
  ASSERT_TRUE(H);
  EXPECT_EQ(H->ValueOrigin.Kind, OriginKind::BoundMethod);
  const Event *A = attributeStore(*S, "a");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->ValueOrigin.Kind, OriginKind::Unknown); // assigned twice: no single origin
}

TEST(Events, ReassignedParameterIsNotAParameterOrigin) {
  auto M = lower("class A:\n"
                 "    def m(self, p):\n"
                 "        p = None\n"
                 "        self.x = p\n");
  const Event *E = attributeStore(*findFunction(*M, "m")->OwnScope, "x");
  ASSERT_TRUE(E);
  EXPECT_NE(E->ValueOrigin.Kind, OriginKind::Parameter);
}

TEST(Events, CaughtException) {
  auto M = lower("class A:\n"
                 "    def m(self):\n"
                 "        try:\n"
                 "            work()\n"
                 "        except Exception as e:\n"
                 "            self.err = e\n");
  const Scope *S = findFunction(*M, "m")->OwnScope;
  const Event *Store = attributeStore(*S, "err");
  ASSERT_TRUE(Store);
  EXPECT_EQ(Store->ValueOrigin.Kind, OriginKind::CaughtException);
  std::vector<const Event *> Binds = eventsOf(*S, EventKind::ExceptBinding);
  ASSERT_EQ(Binds.size(), 1u);
  const Event *B = Binds[0];
  ASSERT_TRUE(B->Handler);
  EXPECT_EQ(B->Handler->Name, "e");
  EXPECT_EQ(B->Target, B->Handler->NameNode);
  EXPECT_EQ(B->ValueOrigin.Kind, OriginKind::CaughtException);
  ASSERT_TRUE(B->Statement);
  EXPECT_EQ(B->Statement->Kind, StmtKind::Try);
}

TEST(Events, ExceptWithoutNameHasNoBinding) {
  auto M = lower("def f():\n    try:\n        pass\n    except Exception:\n        pass\n");
  EXPECT_TRUE(eventsOf(*findFunction(*M, "f")->OwnScope, EventKind::ExceptBinding).empty());
}

TEST(Events, Loops) {
  auto M = lower("def f(xs):\n"
                 "    for x in xs:\n"
                 "        pass\n"
                 "    while xs:\n"
                 "        break\n");
  std::vector<const Event *> Loops = eventsOf(*findFunction(*M, "f")->OwnScope, EventKind::Loop);
  ASSERT_EQ(Loops.size(), 2u);
  EXPECT_EQ(M->text(Loops[0]->Target), "xs");
  EXPECT_EQ(Loops[0]->Statement->Kind, StmtKind::For);
  EXPECT_EQ(Loops[1]->Statement->Kind, StmtKind::While);
  EXPECT_EQ(M->text(Loops[1]->Target), "xs");
}

TEST(Events, Comprehensions) {
  auto M = lower("def f(xs):\n"
                 "    total = sum(x for x in xs)\n"
                 "    return [y for y in xs]\n");
  const Scope *S = findFunction(*M, "f")->OwnScope;
  std::vector<const Event *> Comps = eventsOf(*S, EventKind::Comprehension);
  ASSERT_EQ(Comps.size(), 2u);
  const auto *First = llvm::cast<ComprehensionExpr>(Comps[0]->Value);
  EXPECT_EQ(First->Kind, ExprKind::GeneratorExp);
  EXPECT_EQ(First->Consumer, ConsumerKind::CallArgument);
  const auto *Second = llvm::cast<ComprehensionExpr>(Comps[1]->Value);
  EXPECT_EQ(Second->Consumer, ConsumerKind::Returned);
  EXPECT_EQ(Comps[1]->Statement->Kind, StmtKind::Return);
  std::vector<const Event *> Returns = eventsOf(*S, EventKind::Return);
  ASSERT_EQ(Returns.size(), 1u);
  EXPECT_EQ(Returns[0]->ValueOrigin.Kind, OriginKind::Container);
}

TEST(Events, TupleUnpackingStoresPairUp) {
  auto M = lower("class A:\n"
                 "    def m(self, a, b):\n"
                 "        self.x, self.y = a, b\n");
  const Scope *S = findFunction(*M, "m")->OwnScope;
  const Event *X = attributeStore(*S, "x");
  const Event *Y = attributeStore(*S, "y");
  ASSERT_TRUE(X && Y);
  EXPECT_EQ(X->ValueOrigin.Kind, OriginKind::Parameter);
  EXPECT_EQ(X->ValueOrigin.Index, 1u);
  EXPECT_EQ(Y->ValueOrigin.Kind, OriginKind::Parameter);
  EXPECT_EQ(Y->ValueOrigin.Index, 2u);
}

TEST(Events, ChainedAndAugmentedStores) {
  auto M = lower("class A:\n"
                 "    def m(self):\n"
                 "        self.a = self.b = Thing()\n"
                 "        self.n += 1\n"
                 "        self.t: int = 0\n");
  const Scope *S = findFunction(*M, "m")->OwnScope;
  ASSERT_TRUE(attributeStore(*S, "a"));
  ASSERT_TRUE(attributeStore(*S, "b"));
  EXPECT_EQ(attributeStore(*S, "b")->ValueOrigin.Kind, OriginKind::NewInstance);
  ASSERT_TRUE(attributeStore(*S, "n"));
  EXPECT_EQ(attributeStore(*S, "n")->ValueOrigin.Kind, OriginKind::Literal);
  ASSERT_TRUE(attributeStore(*S, "t"));
}

TEST(Events, ClassMethodReceiverIsSelfOrigin) {
  auto M = lower("class A:\n"
                 "    @classmethod\n"
                 "    def make(cls, x):\n"
                 "        cls.registry.add(x)\n"
                 "    @staticmethod\n"
                 "    def s(obj):\n"
                 "        obj.x = obj\n");
  std::vector<const Event *> Muts =
      eventsOf(*findFunction(*M, "make")->OwnScope, EventKind::ContainerMutation);
  ASSERT_EQ(Muts.size(), 1u);
  EXPECT_EQ(Muts[0]->TargetBase.Kind, OriginKind::Self);
  EXPECT_EQ(Muts[0]->Method, "add");
  EXPECT_EQ(Muts[0]->ValueOrigin.Kind, OriginKind::Parameter);
  const Event *E = attributeStore(*findFunction(*M, "s")->OwnScope, "x");
  ASSERT_TRUE(E);
  EXPECT_EQ(E->TargetBase.Kind, OriginKind::Parameter); // a static method has no receiver
  EXPECT_EQ(E->TargetBase.Index, 0u);
}

TEST(Events, MutatorArguments) {
  auto M = lower("def f(d, l, v):\n"
                 "    l.insert(0, v)\n"
                 "    d.setdefault('k', v)\n"
                 "    l.extend(v)\n"
                 "    l.sort()\n");
  std::vector<const Event *> Muts =
      eventsOf(*findFunction(*M, "f")->OwnScope, EventKind::ContainerMutation);
  ASSERT_EQ(Muts.size(), 3u);
  for (const Event *E : Muts) {
    EXPECT_EQ(M->text(E->Value), "v") << E->Method.str();
    EXPECT_EQ(E->ValueOrigin.Kind, OriginKind::Parameter);
    EXPECT_EQ(E->ValueOrigin.Index, 2u);
  }
  EXPECT_EQ(Muts[0]->Method, "insert");
  EXPECT_EQ(Muts[1]->Method, "setdefault");
  EXPECT_EQ(Muts[2]->Method, "extend");
}

TEST(Events, NestedDefIsAClosure) {
  auto M = lower("class A:\n"
                 "    def m(self):\n"
                 "        def cb():\n"
                 "            return self\n"
                 "        self.cb = cb\n");
  const Event *E = attributeStore(*findFunction(*M, "m")->OwnScope, "cb");
  ASSERT_TRUE(E);
  EXPECT_EQ(E->ValueOrigin.Kind, OriginKind::Closure);
  EXPECT_EQ(names(E->ValueOrigin.Captures), (std::vector<std::string>{"self"}));
}

TEST(Events, ModuleLevelEvents) {
  auto M = lower("import registry\n"
                 "registry.handlers.append(on_load)\n"
                 "cache = {}\n"
                 "cache['k'] = Big()\n");
  const Scope &S = M->moduleScope();
  EXPECT_EQ(eventsOf(S, EventKind::ContainerMutation).size(), 1u);
  std::vector<const Event *> Subs = eventsOf(S, EventKind::SubscriptStore);
  ASSERT_EQ(Subs.size(), 1u);
  EXPECT_EQ(Subs[0]->ValueOrigin.Kind, OriginKind::NewInstance);
  EXPECT_EQ(Subs[0]->ValueOrigin.Name, "Big");
}

} // namespace
