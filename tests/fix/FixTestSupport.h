//===- FixTestSupport.h - helpers shared by the fix tests ------------------===//
#pragma once

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/time.h>

namespace memlint::test {

inline std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

inline struct stat statOf(const std::string &Path) {
  struct stat St {};
  EXPECT_EQ(::stat(Path.c_str(), &St), 0) << Path;
  return St;
}

/// Moves a file's modification time an hour into the past, so a rewrite would show.
inline void ageFile(const std::string &Path) {
  struct timeval Times[2];
  Times[0].tv_sec = Times[1].tv_sec = ::time(nullptr) - 3600;
  Times[0].tv_usec = Times[1].tv_usec = 0;
  ASSERT_EQ(::utimes(Path.c_str(), Times), 0) << Path;
}

inline bool sameMtime(const struct stat &A, const struct stat &B) {
  return A.st_mtim.tv_sec == B.st_mtim.tv_sec && A.st_mtim.tv_nsec == B.st_mtim.tv_nsec;
}

/// Safe fixes of GEN001, GEN002 (both forms) and GEN004.
inline const char *const SafeCases = R"py(def report(rows, out):
    total = sum([r.amount for r in rows])
    for i in list(range(len(rows))):
        out.write(i)
    for x in [r.amount * 2 for r in rows]:
        out.write(x)
    names = [r.name for r in rows]
    for name in names:
        out.write(name)
    return total
)py";

inline const char *const SafeCasesFixed = R"py(def report(rows, out):
    total = sum(r.amount for r in rows)
    for i in range(len(rows)):
        out.write(i)
    for x in (r.amount * 2 for r in rows):
        out.write(x)
    names = (r.name for r in rows)
    for name in names:
        out.write(name)
    return total
)py";

/// Only unsafe fixes: any() short-circuits; a call in the element runs interleaved.
inline const char *const UnsafeCases = R"py(def check(rows):
    if any([r.ok for r in rows]):
        return sum([price(r) for r in rows])
    return 0
)py";

inline const char *const UnsafeCasesFixed = R"py(def check(rows):
    if any(r.ok for r in rows):
        return sum(price(r) for r in rows)
    return 0
)py";

inline const char *const CleanCode = "def f(xs):\n    return sum(x for x in xs)\n";

} // namespace memlint::test
