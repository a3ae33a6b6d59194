//===- TransportTest.cpp - Content-Length framing over a pipe ---------------===//
#include "Transport.h"

#include <gtest/gtest.h>

#include <optional>
#include <unistd.h>

using namespace memlint::lsp;

namespace {

class TransportTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(pipe(Fds), 0);
    T.emplace(Fds[0], -1);
  }
  void TearDown() override {
    close(Fds[0]);
    if (Fds[1] >= 0)
      close(Fds[1]);
  }
  void feed(const std::string &Bytes) {
    ASSERT_EQ(write(Fds[1], Bytes.data(), Bytes.size()), static_cast<ssize_t>(Bytes.size()));
    ASSERT_TRUE(T->waitForInput(1000));
    T->readAvailable(Messages);
  }

  int Fds[2] = {-1, -1};
  std::optional<Transport> T;
  std::deque<IncomingMessage> Messages;
};

TEST_F(TransportTest, MessagesSplitAcrossReads) {
  feed("Content-Len");
  feed("gth: 9\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{\"a\":");
  EXPECT_TRUE(Messages.empty());
  feed("[1]}Content-Length: 2\r\n\r\n{}");
  ASSERT_EQ(Messages.size(), 2u);
  ASSERT_TRUE(Messages[0].Json);
  EXPECT_EQ(Messages[0].Json->getAsObject()->getArray("a")->size(), 1u);
  ASSERT_TRUE(Messages[1].Json);
}

TEST_F(TransportTest, BadFramesBecomeErrorsAndReadingGoesOn) {
  feed("Content-Length: 5\n\n{oops"); // bare \n accepted; the JSON is not
  feed("X-Other: 1\r\n\r\n");         // no length
  feed("Content-Length: 2\r\n\r\n[]");
  // Too large: an error, and its body (however long) is skipped rather than buffered.
  feed("Content-Length: 99999999999\r\n\r\n{\"partial\":");
  ASSERT_EQ(Messages.size(), 4u);
  EXPECT_FALSE(Messages[0].Json);
  EXPECT_FALSE(Messages[1].Json);
  EXPECT_NE(Messages[1].Error.find("Content-Length"), std::string::npos);
  EXPECT_TRUE(Messages[2].Json);
  EXPECT_FALSE(Messages[3].Json);
  EXPECT_NE(Messages[3].Error.find("limit"), std::string::npos);
}

TEST_F(TransportTest, EndOfInput) {
  close(Fds[1]);
  Fds[1] = -1;
  EXPECT_TRUE(T->waitForInput(1000));
  EXPECT_FALSE(T->readAvailable(Messages));
  EXPECT_TRUE(Messages.empty());
}

} // namespace
