//===- ProjectTestHelpers.h - summaries of small on-disk projects ----------===//
#pragma once

#include "TestSupport.h"
#include "analyzer/ProjectIndex.h"
#include "analyzer/ReferenceGraph.h"
#include "analyzer/Summary.h"
#include "frontend/Lower.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace memlint::test {

/// Writes the files, lowers and summarizes each, and builds the index and the graph. Module
/// names come from the package layout on disk, as in a real run.
class Project {
public:
  explicit Project(const std::map<std::string, std::string> &Files) {
    for (const auto &[Name, Text] : Files)
      Paths.push_back(Dir.write(Name, Text));
    Parser P;
    for (const std::string &Path : Paths) {
      auto Source = std::make_shared<const SourceFile>(Path, Files.at(Path.substr(Dir.path().size() + 1)));
      auto Module = parseAndLower(P, Source);
      Summaries.push_back(summarizeModule(*Module, Path));
    }
    Index = std::make_unique<ProjectIndex>(Summaries);
    Graph = std::make_unique<ReferenceGraph>(*Index);
  }

  const ModuleSummary &module(const std::string &Relative) const {
    for (const ModuleSummary &M : Summaries)
      if (M.Path == Dir.path() + "/" + Relative)
        return M;
    throw std::runtime_error("no module " + Relative);
  }

  TempDir Dir;
  std::vector<std::string> Paths;
  std::vector<ModuleSummary> Summaries;
  std::unique_ptr<ProjectIndex> Index;
  std::unique_ptr<ReferenceGraph> Graph;
};

} // namespace memlint::test
