//===- StatementTest.cpp - Assignments, calls, control flow, try, with -------===//

#include "LowerTestHelpers.h"

#include <gtest/gtest.h>

using namespace memlint;
using namespace memlint::test;

namespace {

TEST(Assign, AttributeAndSubscriptTargets) {
  auto M = lower("self.x = v\nd[k] = v\nd[a, b] = v\nd[1:2] = v\nd[::2] = v\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  ASSERT_EQ(M->body().size(), 5u);
  const auto *A0 = topStmt<AssignStmt>(*M, 0);
  ASSERT_TRUE(A0);
  const auto *Attr = llvm::dyn_cast<AttributeExpr>(A0->Targets[0]);
  ASSERT_TRUE(Attr);
  EXPECT_EQ(Attr->Ctx, ExprContext::Store);
  EXPECT_EQ(Attr->Attr, "x");
  EXPECT_EQ(M->text(Attr->AttrRange), "x");
  EXPECT_EQ(llvm::cast<NameExpr>(Attr->Object)->Ctx, ExprContext::Load);
  EXPECT_EQ(rootName(Attr)->Id, "self");

  const auto *Sub = llvm::dyn_cast<SubscriptExpr>(topStmt<AssignStmt>(*M, 1)->Targets[0]);
  ASSERT_TRUE(Sub);
  EXPECT_EQ(Sub->Ctx, ExprContext::Store);
  EXPECT_EQ(M->text(Sub->Value), "d");
  EXPECT_EQ(M->text(Sub->Index), "k");

  const auto *Multi = llvm::cast<SubscriptExpr>(topStmt<AssignStmt>(*M, 2)->Targets[0]);
  const auto *Tuple = llvm::dyn_cast<SequenceExpr>(Multi->Index);
  ASSERT_TRUE(Tuple);
  EXPECT_EQ(Tuple->Kind, ExprKind::Tuple);
  EXPECT_EQ(Tuple->Elements.size(), 2u);

  const auto *Sl = llvm::dyn_cast<SliceExpr>(
      llvm::cast<SubscriptExpr>(topStmt<AssignStmt>(*M, 3)->Targets[0])->Index);
  ASSERT_TRUE(Sl);
  EXPECT_EQ(M->text(Sl->Lower), "1");
  EXPECT_EQ(M->text(Sl->Upper), "2");
  EXPECT_FALSE(Sl->Step);
  const auto *Step = llvm::dyn_cast<SliceExpr>(
      llvm::cast<SubscriptExpr>(topStmt<AssignStmt>(*M, 4)->Targets[0])->Index);
  ASSERT_TRUE(Step);
  EXPECT_FALSE(Step->Lower);
  EXPECT_FALSE(Step->Upper);
  EXPECT_EQ(M->text(Step->Step), "2");
  // Storing to an attribute or item does not bind the base name.
  EXPECT_FALSE(M->moduleScope().lookupLocal("self"));
  EXPECT_FALSE(M->moduleScope().lookupLocal("d"));
}

TEST(Assign, ChainedAssignmentHasTwoTargets) {
  auto M = lower("a = b = make()\n");
  const auto *A = topStmt<AssignStmt>(*M);
  ASSERT_TRUE(A);
  ASSERT_EQ(A->Targets.size(), 2u);
  EXPECT_EQ(M->text(A->Targets[0]), "a");
  EXPECT_EQ(M->text(A->Targets[1]), "b");
  EXPECT_EQ(llvm::cast<NameExpr>(A->Targets[1])->Ctx, ExprContext::Store);
  EXPECT_EQ(M->text(A->Value), "make()");
  EXPECT_EQ(M->text(A->Range), "a = b = make()");
  EXPECT_TRUE(M->moduleScope().lookupLocal("a"));
  EXPECT_TRUE(M->moduleScope().lookupLocal("b"));
}

TEST(Assign, ThreeWayChainWithAttributes) {
  auto M = lower("self.a = self.b = c = None\n");
  const auto *A = topStmt<AssignStmt>(*M);
  ASSERT_TRUE(A);
  ASSERT_EQ(A->Targets.size(), 3u);
  EXPECT_EQ(A->Targets[0]->Kind, ExprKind::Attribute);
  EXPECT_EQ(A->Targets[1]->Kind, ExprKind::Attribute);
  EXPECT_EQ(A->Targets[2]->Kind, ExprKind::Name);
  EXPECT_EQ(llvm::cast<ConstantExpr>(A->Value)->Value, ConstantKind::None);
}

TEST(Assign, TupleUnpacking) {
  auto M = lower("a, b = 1, 2\n(c, d), [e, *rest] = x\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *First = topStmt<AssignStmt>(*M, 0);
  ASSERT_TRUE(First);
  ASSERT_EQ(First->Targets.size(), 1u);
  const auto *T = llvm::dyn_cast<SequenceExpr>(First->Targets[0]);
  ASSERT_TRUE(T);
  EXPECT_EQ(T->Kind, ExprKind::Tuple);
  EXPECT_EQ(T->Ctx, ExprContext::Store);
  ASSERT_EQ(T->Elements.size(), 2u);
  EXPECT_EQ(llvm::cast<NameExpr>(T->Elements[0])->Ctx, ExprContext::Store);
  const auto *V = llvm::dyn_cast<SequenceExpr>(First->Value);
  ASSERT_TRUE(V);
  EXPECT_EQ(V->Elements.size(), 2u);

  const auto *Second = topStmt<AssignStmt>(*M, 1);
  const auto *Outer = llvm::cast<SequenceExpr>(Second->Targets[0]);
  ASSERT_EQ(Outer->Elements.size(), 2u);
  const auto *Inner = llvm::dyn_cast<SequenceExpr>(Outer->Elements[0]);
  ASSERT_TRUE(Inner);
  EXPECT_EQ(Inner->Kind, ExprKind::Tuple);
  const auto *List = llvm::dyn_cast<SequenceExpr>(Outer->Elements[1]);
  ASSERT_TRUE(List);
  EXPECT_EQ(List->Kind, ExprKind::List);
  const auto *Star = llvm::dyn_cast<UnaryValueExpr>(List->Elements[1]);
  ASSERT_TRUE(Star);
  EXPECT_EQ(Star->Kind, ExprKind::Starred);
  const auto *Rest = llvm::cast<NameExpr>(Star->Value);
  EXPECT_EQ(Rest->Ctx, ExprContext::Store);
  for (const char *Name : {"a", "b", "c", "d", "e", "rest"})
    EXPECT_TRUE(M->moduleScope().lookupLocal(Name)) << Name;
}

TEST(Assign, AugmentedAssignment) {
  auto M = lower("x += 1\nself.n -= step\nitems[i] //= 2\ny @= m\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *A = topStmt<AugAssignStmt>(*M, 0);
  ASSERT_TRUE(A);
  EXPECT_EQ(A->Operator, "+=");
  EXPECT_EQ(llvm::cast<NameExpr>(A->Target)->Ctx, ExprContext::Store);
  EXPECT_EQ(M->text(A->Value), "1");
  const auto *B = topStmt<AugAssignStmt>(*M, 1);
  ASSERT_TRUE(B);
  EXPECT_EQ(B->Operator, "-=");
  EXPECT_EQ(B->Target->Kind, ExprKind::Attribute);
  const auto *C = topStmt<AugAssignStmt>(*M, 2);
  ASSERT_TRUE(C);
  EXPECT_EQ(C->Operator, "//=");
  EXPECT_EQ(C->Target->Kind, ExprKind::Subscript);
  EXPECT_EQ(topStmt<AugAssignStmt>(*M, 3)->Operator, "@=");
  EXPECT_TRUE(M->moduleScope().lookupLocal("x"));
  EXPECT_FALSE(M->moduleScope().lookupLocal("self"));
}

TEST(Assign, AnnotatedAssignment) {
  auto M = lower("x: int = 1\ny: list[int]\nself.z: str = ''\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *X = topStmt<AnnAssignStmt>(*M, 0);
  ASSERT_TRUE(X);
  EXPECT_EQ(M->text(X->Target), "x");
  EXPECT_EQ(llvm::cast<NameExpr>(X->Target)->Ctx, ExprContext::Store);
  EXPECT_EQ(M->text(X->Annotation), "int");
  ASSERT_TRUE(X->Value);
  EXPECT_EQ(M->text(X->Value), "1");
  const auto *Y = topStmt<AnnAssignStmt>(*M, 1);
  ASSERT_TRUE(Y);
  EXPECT_FALSE(Y->Value);
  EXPECT_EQ(M->text(Y->Annotation), "list[int]");
  const auto *Z = topStmt<AnnAssignStmt>(*M, 2);
  ASSERT_TRUE(Z);
  EXPECT_EQ(Z->Target->Kind, ExprKind::Attribute);
  const Symbol *XSym = M->moduleScope().lookupLocal("x");
  ASSERT_TRUE(XSym);
  EXPECT_TRUE(XSym->has(SymAnnotated));
  const Symbol *YSym = M->moduleScope().lookupLocal("y");
  ASSERT_TRUE(YSym);
  EXPECT_TRUE(YSym->has(SymAnnotated));
}

TEST(Call, ArgumentKinds) {
  std::string Code = "f(1, *args, key=v, **kw)\n";
  auto M = lower(Code);
  const CallExpr *C = topExpr<CallExpr>(*M);
  ASSERT_TRUE(C);
  EXPECT_EQ(M->text(C->Callee), "f");
  ASSERT_EQ(C->Args.size(), 4u);
  EXPECT_EQ(C->Args[0].Kind, ArgKind::Positional);
  EXPECT_EQ(C->Args[1].Kind, ArgKind::Star);
  EXPECT_EQ(M->text(C->Args[1].Value), "args");
  EXPECT_EQ(M->text(C->Args[1].Range), "*args");
  EXPECT_EQ(C->Args[2].Kind, ArgKind::Keyword);
  EXPECT_EQ(C->Args[2].Keyword, "key");
  EXPECT_EQ(M->text(C->Args[2].Value), "v");
  EXPECT_EQ(C->Args[3].Kind, ArgKind::DoubleStar);
  EXPECT_EQ(M->text(C->Args[3].Value), "kw");
  EXPECT_EQ(M->text(C->ArgsRange), "(1, *args, key=v, **kw)");
  EXPECT_FALSE(C->soleArgument());
  EXPECT_EQ(C->keyword("key"), C->Args[2].Value);
  EXPECT_FALSE(C->keyword("missing"));
  EXPECT_FALSE(C->BareGenerator);
}

TEST(Call, SoleArgument) {
  auto M = lower("g(x)\nh(k=1)\ni()\nj(*a)\n");
  EXPECT_EQ(M->text(topExpr<CallExpr>(*M, 0)->soleArgument()), "x");
  EXPECT_FALSE(topExpr<CallExpr>(*M, 1)->soleArgument());
  EXPECT_FALSE(topExpr<CallExpr>(*M, 2)->soleArgument());
  EXPECT_TRUE(topExpr<CallExpr>(*M, 2)->Args.empty());
  EXPECT_FALSE(topExpr<CallExpr>(*M, 3)->soleArgument());
}

TEST(Call, MethodCallChain) {
  auto M = lower("self.items.append(x).y()\n");
  const CallExpr *Outer = topExpr<CallExpr>(*M);
  ASSERT_TRUE(Outer);
  const auto *Attr = llvm::cast<AttributeExpr>(Outer->Callee);
  EXPECT_EQ(Attr->Attr, "y");
  const auto *Inner = llvm::cast<CallExpr>(Attr->Object);
  EXPECT_EQ(dottedName(*M, Inner->Callee), "self.items.append");
  EXPECT_EQ(rootName(Outer)->Id, "self");
  EXPECT_EQ(dottedName(*M, Outer->Callee), "");
}

TEST(Return, ValueOrNone) {
  auto M = lower("def f():\n    return\ndef g():\n    return a, b\n");
  const auto *R1 = llvm::cast<ReturnStmt>(findFunction(*M, "f")->Inner[0]);
  EXPECT_FALSE(R1->Value);
  const auto *R2 = llvm::cast<ReturnStmt>(findFunction(*M, "g")->Inner[0]);
  ASSERT_TRUE(R2->Value);
  EXPECT_EQ(R2->Value->Kind, ExprKind::Tuple);
}

TEST(ControlFlow, IfElifElse) {
  auto M = lower("if a:\n    x()\nelif b:\n    y()\nelif c:\n    pass\nelse:\n    z()\n");
  const auto *If = topStmt<IfStmt>(*M);
  ASSERT_TRUE(If);
  EXPECT_EQ(If->Kind, StmtKind::If);
  EXPECT_EQ(M->text(If->Test), "a");
  ASSERT_EQ(If->Then.size(), 1u);
  ASSERT_EQ(If->OrElse.size(), 1u);
  const auto *Elif = llvm::dyn_cast<IfStmt>(If->OrElse[0]);
  ASSERT_TRUE(Elif);
  EXPECT_EQ(M->text(Elif->Test), "b");
  ASSERT_EQ(Elif->OrElse.size(), 1u);
  const auto *Elif2 = llvm::cast<IfStmt>(Elif->OrElse[0]);
  EXPECT_EQ(M->text(Elif2->Test), "c");
  ASSERT_EQ(Elif2->OrElse.size(), 1u);
  EXPECT_EQ(Elif2->OrElse[0]->Kind, StmtKind::Expr);
  EXPECT_EQ(Elif2->Then[0]->Kind, StmtKind::Pass);
}

TEST(ControlFlow, ForElse) {
  auto M = lower("for i, (k, v) in enumerate(d.items()):\n"
                 "    if k:\n        break\n    continue\n"
                 "else:\n    done()\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *F = topStmt<ForStmt>(*M);
  ASSERT_TRUE(F);
  EXPECT_FALSE(F->IsAsync);
  EXPECT_EQ(M->text(F->Iter), "enumerate(d.items())");
  const auto *Target = llvm::dyn_cast<SequenceExpr>(F->Target);
  ASSERT_TRUE(Target);
  EXPECT_EQ(Target->Ctx, ExprContext::Store);
  ASSERT_EQ(Target->Elements.size(), 2u);
  EXPECT_EQ(Target->Elements[1]->Kind, ExprKind::Tuple);
  ASSERT_EQ(F->Loop.size(), 2u);
  EXPECT_EQ(llvm::cast<IfStmt>(F->Loop[0])->Then[0]->Kind, StmtKind::Break);
  EXPECT_EQ(F->Loop[1]->Kind, StmtKind::Continue);
  ASSERT_EQ(F->OrElse.size(), 1u);
  for (const char *Name : {"i", "k", "v"})
    EXPECT_TRUE(M->moduleScope().lookupLocal(Name)) << Name;
}

TEST(ControlFlow, WhileElse) {
  auto M = lower("while queue:\n    queue.pop()\nelse:\n    finish()\n");
  const auto *W = topStmt<WhileStmt>(*M);
  ASSERT_TRUE(W);
  EXPECT_EQ(W->Kind, StmtKind::While);
  EXPECT_EQ(M->text(W->Test), "queue");
  EXPECT_EQ(W->Then.size(), 1u);
  EXPECT_EQ(W->OrElse.size(), 1u);
}

TEST(ControlFlow, DeleteRaiseAssert) {
  auto M = lower("del a, b[0], c.d\n"
                 "raise ValueError('x') from err\n"
                 "raise\n"
                 "assert x, 'message'\n"
                 "assert y\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *D = topStmt<DeleteStmt>(*M, 0);
  ASSERT_TRUE(D);
  ASSERT_EQ(D->Targets.size(), 3u);
  EXPECT_EQ(llvm::cast<NameExpr>(D->Targets[0])->Ctx, ExprContext::Del);
  EXPECT_EQ(llvm::cast<SubscriptExpr>(D->Targets[1])->Ctx, ExprContext::Del);
  EXPECT_EQ(llvm::cast<AttributeExpr>(D->Targets[2])->Ctx, ExprContext::Del);
  EXPECT_TRUE(M->moduleScope().lookupLocal("a")->has(SymDeleted));

  const auto *R = topStmt<RaiseStmt>(*M, 1);
  ASSERT_TRUE(R);
  EXPECT_EQ(M->text(R->Exception), "ValueError('x')");
  EXPECT_EQ(M->text(R->Cause), "err");
  const auto *Bare = topStmt<RaiseStmt>(*M, 2);
  ASSERT_TRUE(Bare);
  EXPECT_FALSE(Bare->Exception);
  EXPECT_FALSE(Bare->Cause);

  const auto *A = topStmt<AssertStmt>(*M, 3);
  ASSERT_TRUE(A);
  EXPECT_EQ(M->text(A->Test), "x");
  EXPECT_EQ(M->text(A->Message), "'message'");
  EXPECT_FALSE(topStmt<AssertStmt>(*M, 4)->Message);
}

TEST(Try, HandlersElseFinally) {
  std::string Code = "try:\n"
                     "    a()\n"
                     "except (ValueError, KeyError) as err:\n"
                     "    b(err)\n"
                     "except OSError:\n"
                     "    pass\n"
                     "except:\n"
                     "    raise\n"
                     "else:\n"
                     "    c()\n"
                     "finally:\n"
                     "    d()\n"
                     "    e()\n";
  auto M = lower(Code);
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *T = topStmt<TryStmt>(*M);
  ASSERT_TRUE(T);
  EXPECT_EQ(T->Try.size(), 1u);
  ASSERT_EQ(T->Handlers.size(), 3u);
  const ExceptHandler &H0 = T->Handlers[0];
  ASSERT_TRUE(H0.Type);
  EXPECT_EQ(H0.Type->Kind, ExprKind::Tuple);
  EXPECT_EQ(H0.Name, "err");
  EXPECT_EQ(M->text(H0.NameRange), "err");
  ASSERT_TRUE(H0.NameNode);
  EXPECT_EQ(H0.NameNode->Ctx, ExprContext::Store);
  EXPECT_EQ(H0.Handler.size(), 1u);
  EXPECT_FALSE(H0.IsGroup);
  EXPECT_EQ(H0.Range.Begin, offsetOf(Code, "except"));
  // The read of `err` in the handler resolves to the binding.
  const Symbol *Err = M->moduleScope().lookupLocal("err");
  ASSERT_TRUE(Err);
  EXPECT_EQ(H0.NameNode->Sym, Err);
  EXPECT_EQ(Err->Refs.size(), 2u);

  const ExceptHandler &H1 = T->Handlers[1];
  EXPECT_EQ(M->text(H1.Type), "OSError");
  EXPECT_TRUE(H1.Name.empty());
  EXPECT_FALSE(H1.NameNode);
  const ExceptHandler &H2 = T->Handlers[2];
  EXPECT_FALSE(H2.Type);
  ASSERT_EQ(H2.Handler.size(), 1u);
  EXPECT_EQ(H2.Handler[0]->Kind, StmtKind::Raise);
  EXPECT_EQ(T->OrElse.size(), 1u);
  EXPECT_EQ(T->Finally.size(), 2u);
}

TEST(Try, TryFinallyOnly) {
  auto M = lower("try:\n    a()\nfinally:\n    b()\n");
  const auto *T = topStmt<TryStmt>(*M);
  ASSERT_TRUE(T);
  EXPECT_TRUE(T->Handlers.empty());
  EXPECT_TRUE(T->OrElse.empty());
  EXPECT_EQ(T->Finally.size(), 1u);
}

TEST(Try, ExceptStar) {
  auto M = lower("try:\n    pass\nexcept* ValueError as eg:\n    handle(eg)\n"
                 "except* (TypeError, KeyError):\n    pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *T = topStmt<TryStmt>(*M);
  ASSERT_TRUE(T);
  ASSERT_EQ(T->Handlers.size(), 2u);
  EXPECT_TRUE(T->Handlers[0].IsGroup);
  EXPECT_EQ(T->Handlers[0].Name, "eg");
  EXPECT_EQ(M->text(T->Handlers[0].Type), "ValueError");
  EXPECT_TRUE(T->Handlers[1].IsGroup);
  EXPECT_EQ(T->Handlers[1].Type->Kind, ExprKind::Tuple);
}

TEST(With, MultipleItems) {
  auto M = lower("with open(p) as f, lock:\n    pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *W = topStmt<WithStmt>(*M);
  ASSERT_TRUE(W);
  EXPECT_FALSE(W->IsAsync);
  ASSERT_EQ(W->Items.size(), 2u);
  EXPECT_EQ(M->text(W->Items[0].Context), "open(p)");
  ASSERT_TRUE(W->Items[0].Target);
  EXPECT_EQ(llvm::cast<NameExpr>(W->Items[0].Target)->Ctx, ExprContext::Store);
  EXPECT_EQ(M->text(W->Items[1].Context), "lock");
  EXPECT_FALSE(W->Items[1].Target);
  EXPECT_EQ(W->Inner.size(), 1u);
  EXPECT_TRUE(M->moduleScope().lookupLocal("f"));
}

TEST(With, ParenthesizedItems) {
  auto M = lower("with (\n    open(a) as f,\n    open(b) as g,\n):\n    pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *W = topStmt<WithStmt>(*M);
  ASSERT_TRUE(W);
  ASSERT_EQ(W->Items.size(), 2u);
  EXPECT_EQ(M->text(W->Items[0].Target), "f");
  EXPECT_EQ(M->text(W->Items[1].Target), "g");
  EXPECT_EQ(M->text(W->Items[1].Context), "open(b)");
}

TEST(With, AttributeAndTupleTargets) {
  auto M = lower("with a() as self.x, b() as (c, d):\n    pass\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const auto *W = topStmt<WithStmt>(*M);
  ASSERT_TRUE(W);
  ASSERT_EQ(W->Items.size(), 2u);
  EXPECT_EQ(W->Items[0].Target->Kind, ExprKind::Attribute);
  EXPECT_EQ(W->Items[1].Target->Kind, ExprKind::Tuple);
  EXPECT_TRUE(M->moduleScope().lookupLocal("c"));
}

TEST(Async, AsyncForAndWith) {
  auto M = lower("async def f(s):\n"
                 "    async with s.lock() as held:\n"
                 "        async for item in s.stream():\n"
                 "            await item\n");
  ASSERT_FALSE(M->syntaxError()) << errorMessage(*M);
  const WithStmt *W = firstStmt<WithStmt>(*M);
  ASSERT_TRUE(W);
  EXPECT_TRUE(W->IsAsync);
  EXPECT_EQ(M->text(W->Items[0].Target), "held");
  const ForStmt *F = firstStmt<ForStmt>(*M);
  ASSERT_TRUE(F);
  EXPECT_TRUE(F->IsAsync);
  EXPECT_EQ(M->text(F->Iter), "s.stream()");
  const UnaryValueExpr *A = firstExpr<UnaryValueExpr>(*M);
  ASSERT_TRUE(A);
  EXPECT_EQ(A->Kind, ExprKind::Await);
}

TEST(Statements, PassBreakContinueAndExpressionStatements) {
  auto M = lower("pass\nx\n1, 2\n");
  ASSERT_EQ(M->body().size(), 3u);
  EXPECT_EQ(M->body()[0]->Kind, StmtKind::Pass);
  EXPECT_EQ(topExpr<NameExpr>(*M, 1)->Id, "x");
  const auto *T = topExpr<SequenceExpr>(*M, 2);
  ASSERT_TRUE(T);
  EXPECT_EQ(T->Kind, ExprKind::Tuple);
}

TEST(Statements, SemicolonSeparatedStatements) {
  auto M = lower("a = 1; b = 2; f()\n");
  ASSERT_EQ(M->body().size(), 3u);
  EXPECT_EQ(M->body()[0]->Kind, StmtKind::Assign);
  EXPECT_EQ(M->body()[2]->Kind, StmtKind::Expr);
}

} // namespace
