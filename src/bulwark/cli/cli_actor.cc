#include "bulwark/cli/cli_actor.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace bulwark::cli {

std::string CliActor() {
  const char* user = std::getenv("USER");
  if (user == nullptr || *user == '\0') {
    const passwd* pw = getpwuid(geteuid());
    user = pw != nullptr ? pw->pw_name : "unknown";
  }
  return std::string("cli:") + user;
}

}  // namespace bulwark::cli
