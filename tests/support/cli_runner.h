// Runs the real `bulwark` binary for end-to-end tests.
#pragma once

#include <string>

namespace bulwark::testing {

struct RunResult {
  int status = -1;  // exit status, -1 if killed by a signal
  std::string out, err;
};

// Path of the `bulwark` binary under test.
std::string BulwarkBinary();

// A scratch path unique to this process (ctest runs tests in parallel).
std::string Scratch(const std::string& name);

// Runs `bulwark ARGS` through the shell with `stdin_text` on standard input.
RunResult Bulwark(const std::string& args, const std::string& stdin_text = "");

std::string Slurp(const std::string& path);

}  // namespace bulwark::testing
