#include "support/cli_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace bulwark::testing {

std::string BulwarkBinary() { return BULWARK_BINARY; }

std::string Scratch(const std::string& name) {
  return ::testing::TempDir() + "/bulwark_" + std::to_string(getpid()) + "_" +
         name;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

RunResult Bulwark(const std::string& args, const std::string& stdin_text) {
  const std::string in = Scratch("in"), err = Scratch("err");
  std::ofstream(in) << stdin_text;
  const std::string cmd =
      std::string(BULWARK_BINARY) + " " + args + " <" + in + " 2>" + err;
  RunResult r;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
    r.out.append(buf.data(), n);
  const int raw = pclose(p);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.err = Slurp(err);
  return r;
}

}  // namespace bulwark::testing
