//===- CacheTest.cpp - the result cache through the real binary -----------===//
//
// A warm run must report exactly what a cold run reports, an edited file must be analyzed
// again, and project-wide findings in files that did not change must follow the files they
// depend on. A cache that cannot be trusted (corrupt, unwritable) must never change results.
//
//===----------------------------------------------------------------------===//
#include "Subprocess.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace memlint::test {
namespace {

namespace fs = std::filesystem;

// Two modules: SLT003 is reported in points.py, about a base class in base.py.
constexpr const char *BaseWithoutSlots = R"(class Base:
    def __init__(self, tag):
        self.tag = tag
)";
constexpr const char *BaseWithSlots = R"(class Base:
    __slots__ = ("tag",)

    def __init__(self, tag):
        self.tag = tag
)";
constexpr const char *Points = R"(from base import Base


class Point(Base):
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        super().__init__("point")
        self.x = x
        self.y = y
)";
constexpr const char *Totals = R"(def total(prices):
    return sum([p * 2 for p in prices])
)";

class CacheTest : public ::testing::Test {
protected:
  TempDir Project, Cache;

  void SetUp() override {
    Project.write("base.py", BaseWithoutSlots);
    Project.write("points.py", Points);
    Project.write("totals.py", Totals);
  }

  RunResult check(std::vector<std::string> Extra = {}) {
    std::vector<std::string> Args = {"check",       "--isolated", "--select", "ALL",
                                     "--cache-dir", Cache.path(), "."};
    Args.insert(Args.end(), Extra.begin(), Extra.end());
    return runMemlint(Args, Project.path());
  }
  RunResult checkWithoutCache() {
    return runMemlint({"check", "--isolated", "--select", "ALL", "--no-cache", "."},
                      Project.path());
  }
  std::vector<fs::path> cacheFiles() const {
    std::vector<fs::path> Out;
    if (fs::exists(Cache.path()))
      for (const auto &E : fs::directory_iterator(Cache.path()))
        Out.push_back(E.path());
    std::sort(Out.begin(), Out.end());
    return Out;
  }
};

TEST_F(CacheTest, WarmRunReportsExactlyWhatTheColdRunReported) {
  RunResult Cold = check();
  ASSERT_EQ(Cold.ExitCode, 1) << Cold.Stderr;
  EXPECT_NE(Cold.Stdout.find("points.py:4:7: SLT003"), std::string::npos) << Cold.Stdout;
  EXPECT_NE(Cold.Stdout.find("totals.py:2:16: GEN001"), std::string::npos) << Cold.Stdout;
  RunResult Warm = check();
  EXPECT_EQ(Warm.ExitCode, Cold.ExitCode);
  EXPECT_EQ(Warm.Stdout, Cold.Stdout);
  EXPECT_EQ(Warm.Stderr, "");
  // JSON carries fixes and related locations: they come back from the cache intact.
  RunResult WarmJson = check({"--format", "json"});
  RunResult FreshJson =
      runMemlint({"check", "--isolated", "--select", "ALL", "--no-cache", "--format", "json", "."},
                 Project.path());
  EXPECT_EQ(WarmJson.Stdout, FreshJson.Stdout);
  EXPECT_NE(WarmJson.Stdout.find("\"fix\": ["), std::string::npos) << WarmJson.Stdout;
}

TEST_F(CacheTest, CacheDirectoryIsIgnoredByGitAndTagged) {
  check();
  bool SawFiles = false, SawProject = false;
  for (const fs::path &P : cacheFiles()) {
    SawFiles |= P.extension() == ".files";
    SawProject |= P.extension() == ".project";
  }
  EXPECT_TRUE(SawFiles);
  EXPECT_TRUE(SawProject);
  std::ifstream GitIgnore(fs::path(Cache.path()) / ".gitignore");
  std::string Text((std::istreambuf_iterator<char>(GitIgnore)), {});
  EXPECT_NE(Text.find("\n*\n"), std::string::npos) << Text;
  EXPECT_TRUE(fs::exists(fs::path(Cache.path()) / "CACHEDIR.TAG"));
}

TEST_F(CacheTest, EditedFileIsAnalyzedAgain) {
  check();
  Project.write("totals.py", "def total(prices):\n    return sum(p * 2 for p in prices)\n");
  RunResult After = check();
  EXPECT_EQ(After.Stdout.find("GEN001"), std::string::npos) << After.Stdout;
  EXPECT_EQ(After.Stdout, checkWithoutCache().Stdout);
}

TEST_F(CacheTest, ProjectFindingsInUnchangedFilesFollowTheirDependencies) {
  RunResult Before = check();
  ASSERT_NE(Before.Stdout.find("points.py:4:7: SLT003"), std::string::npos) << Before.Stdout;
  // Only base.py changes; the finding is in points.py, which is served from the cache.
  Project.write("base.py", BaseWithSlots);
  RunResult Fixed = check();
  EXPECT_EQ(Fixed.Stdout.find("SLT003"), std::string::npos) << Fixed.Stdout;
  EXPECT_EQ(Fixed.Stdout, checkWithoutCache().Stdout);
  // And back: the project phase's cache must not pin either answer.
  Project.write("base.py", BaseWithoutSlots);
  RunResult Again = check();
  EXPECT_EQ(Again.Stdout, Before.Stdout);
}

TEST_F(CacheTest, DeletedAndAddedFilesChangeTheProject) {
  check();
  fs::remove(fs::path(Project.path()) / "base.py");
  RunResult Without = check();
  EXPECT_EQ(Without.Stdout.find("SLT003"), std::string::npos) << Without.Stdout;
  EXPECT_EQ(Without.Stdout, checkWithoutCache().Stdout);
  Project.write("base.py", BaseWithoutSlots);
  EXPECT_NE(check().Stdout.find("SLT003"), std::string::npos);
}

TEST_F(CacheTest, MovingAFileIntoAPackageRenamesItsModule) {
  // The same bytes under another module name are another summary: `from base import Base`
  // no longer resolves once base.py lives in pkg/ (with points.py beside it as pkg.points).
  check();
  fs::create_directory(fs::path(Project.path()) / "pkg");
  Project.write("pkg/__init__.py", "");
  Project.write("pkg/base.py", BaseWithoutSlots);
  std::string Relative = Points;
  Relative.replace(0, std::string("from base import Base").size(), "from .base import Base");
  Project.write("pkg/points.py", Relative);
  fs::remove(fs::path(Project.path()) / "base.py");
  RunResult Moved = check();
  EXPECT_EQ(Moved.Stdout, checkWithoutCache().Stdout);
  EXPECT_NE(Moved.Stdout.find("pkg/points.py:4:7: SLT003"), std::string::npos) << Moved.Stdout;
}

TEST_F(CacheTest, ConfigurationChangeInvalidatesResults) {
  Project.write("pyproject.toml", "[tool.memlint]\nselect = [\"ALL\"]\n"
                                  "per-file-ignores = { \"totals.py\" = [\"GEN001\"] }\n");
  auto Run = [&] {
    return runMemlint({"check", "--cache-dir", Cache.path(), "."}, Project.path());
  };
  EXPECT_EQ(Run().Stdout.find("GEN001"), std::string::npos);
  Project.write("pyproject.toml", "[tool.memlint]\nselect = [\"ALL\"]\n");
  EXPECT_NE(Run().Stdout.find("totals.py:2:16: GEN001"), std::string::npos);
}

TEST_F(CacheTest, CorruptCacheFilesAreIgnoredAndReplaced) {
  RunResult Cold = check();
  for (const fs::path &P : cacheFiles()) {
    if (P.extension() != ".files" && P.extension() != ".project")
      continue;
    // Keep the header valid and damage the payload, then truncate: both must be rejected.
    std::fstream F(P, std::ios::in | std::ios::out | std::ios::binary);
    F.seekp(40);
    F << "garbage garbage garbage";
  }
  RunResult Damaged = check();
  EXPECT_EQ(Damaged.ExitCode, Cold.ExitCode);
  EXPECT_EQ(Damaged.Stdout, Cold.Stdout);
  EXPECT_EQ(Damaged.Stderr, "");
  for (const fs::path &P : cacheFiles())
    if (P.extension() == ".files")
      fs::resize_file(P, 30);
  RunResult Truncated = check();
  EXPECT_EQ(Truncated.Stdout, Cold.Stdout);
  EXPECT_EQ(check().Stdout, Cold.Stdout);
}

TEST_F(CacheTest, NoCacheReadsAndWritesNothing) {
  RunResult R = check({"--no-cache"});
  EXPECT_EQ(R.ExitCode, 1);
  EXPECT_FALSE(fs::exists(Cache.path() + "/.gitignore"));
  EXPECT_TRUE(cacheFiles().empty());
}

TEST_F(CacheTest, UnwritableCacheIsAWarningNotAFailure) {
  // A regular file where the cache directory should be: it cannot be created.
  std::string Blocked = Project.write("blocked", "not a directory");
  RunResult R =
      runMemlint({"check", "--isolated", "--select", "ALL", "--cache-dir", Blocked + "/cache", "."},
                 Project.path());
  EXPECT_EQ(R.ExitCode, 1);
  EXPECT_EQ(R.Stdout, checkWithoutCache().Stdout);
  EXPECT_NE(R.Stderr.find("warning: " + Blocked + "/cache: cannot create the cache directory"),
            std::string::npos)
      << R.Stderr;
}

TEST_F(CacheTest, DefaultLocationIsBesideTheConfiguration) {
  Project.write("pyproject.toml", "[tool.memlint]\nselect = [\"ALL\"]\n");
  fs::create_directory(fs::path(Project.path()) / "sub");
  // MEMLINT_CACHE_DIR set but empty means "not set".
  RunResult R =
      runProgram({MEMLINT_BINARY, "check", ".."}, {"MEMLINT_CACHE_DIR="}, Project.path() + "/sub");
  EXPECT_EQ(R.ExitCode, 1) << R.Stdout << R.Stderr;
  EXPECT_TRUE(fs::exists(fs::path(Project.path()) / ".memlint_cache" / ".gitignore"));
  EXPECT_FALSE(fs::exists(fs::path(Project.path()) / "sub" / ".memlint_cache"));
}

} // namespace
} // namespace memlint::test
