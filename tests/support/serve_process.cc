#include "support/serve_process.h"

#include <fstream>
#include <regex>
#include <thread>

#include "support/cli_runner.h"
#include "support/http_client.h"

namespace bulwark::testing {

ServeProcess StartServe(const std::string& dir, const std::string& config_toml,
                        const std::string& data, std::chrono::seconds timeout) {
  ServeProcess s;
  s.log = dir + "/serve.log";
  std::ofstream(dir + "/serve.toml") << config_toml;
  s.child =
      Start(BulwarkBinary(),
            {"serve", "--config", dir + "/serve.toml", "--data", data}, s.log);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)");
  int port = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (port == 0) {
      std::smatch m;
      const std::string log = Slurp(s.log);
      if (std::regex_search(log, m, listening)) port = std::stoi(m[1]);
    } else if (HttpRequest(port, "GET", "/readyz").status == 200) {
      s.port = port;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return s;
}

}  // namespace bulwark::testing
