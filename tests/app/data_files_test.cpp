#include "app/data_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/errors.h"

namespace edopt {
namespace {

namespace fs = std::filesystem;

std::string Temp(const std::string& name, const std::string& text) {
  const auto path = fs::temp_directory_path() / ("edopt_df_" + std::to_string(::getpid()) + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST(DataFiles, OcpTableWithAndWithoutHeader) {
  const auto with =
      ReadOcpTable(Temp("a.csv", "stoichiometry,voltage_V\n0.0,1.0\n0.5,0.1\n1.0,0.08\n"));
  EXPECT_EQ(with.first.size(), 3u);
  EXPECT_DOUBLE_EQ(with.second[1], 0.1);
  const auto without = ReadOcpTable(Temp("b.csv", "0.0,1.0\n1.0,0.08\n"));
  EXPECT_EQ(without.first.size(), 2u);
}

TEST(DataFiles, OcpTableErrorsNameFileAndLine) {
  try {
    ReadOcpTable(Temp("c.csv", "stoichiometry,voltage_V\n0.0,1.0\n0.5,abc\n"));
    FAIL();
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("c.csv:3"), std::string::npos) << m;
    EXPECT_NE(m.find("voltage_V"), std::string::npos) << m;
  }
  EXPECT_THROW(ReadOcpTable(Temp("d.csv", "stoichiometry,voltage_V\n")), InputError);
  EXPECT_THROW(ReadOcpTable(Temp("e.csv", "x,y\n0,1\n1,0\n")), InputError);
  EXPECT_THROW(ReadOcpTable("/nonexistent/ocp.csv"), InputError);
  EXPECT_THROW(ReadOcpTable(Temp("f.csv", "0.5,1\n0.2,0.5\n")), InputError);
}

TEST(DataFiles, AtomicWriteReplacesWholeFilesOnly) {
  const auto dir = fs::temp_directory_path() / ("edopt_atomic_" + std::to_string(::getpid()));
  const auto path = (dir / "sub" / "out.csv").string();
  WriteFileAtomically(path, "a,b\n1,2\n");
  WriteFileAtomically(path, "a,b\n3,4\n");
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), "a,b\n3,4\n");
  int files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir / "sub")) ++files;
  EXPECT_EQ(files, 1);  // no temporary left behind
  fs::remove_all(dir);
}

}  // namespace
}  // namespace edopt
