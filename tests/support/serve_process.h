// `bulwark serve` (the real binary) as a child process on a free loopback
// port, for end-to-end tests: started with a config written for it, ready
// once its log names the port and /readyz answers 200.
#pragma once

#include <chrono>
#include <string>

#include "support/process.h"

namespace bulwark::testing {

struct ServeProcess {
  Child child;
  int port = 0;     // 0: it did not become ready in time (see the log)
  std::string log;  // path of its stdout + stderr
};

// Writes `config_toml` to DIR/serve.toml and runs
// `bulwark serve --config DIR/serve.toml --data DATA`, waiting up to
// `timeout` for it to be ready.
ServeProcess StartServe(
    const std::string& dir, const std::string& config_toml,
    const std::string& data,
    std::chrono::seconds timeout = std::chrono::seconds(60));

}  // namespace bulwark::testing
