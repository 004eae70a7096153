// Starting the real `bulwark` binary as a child the test controls, to kill
// it mid-run.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace bulwark::testing {

struct Child {
  pid_t pid = -1;
};

// Starts `program` with `args` (no shell), stdout and stderr to `log`.
Child Start(const std::string& program, const std::vector<std::string>& args,
            const std::string& log);

struct Exit {
  int status = -1;  // exit status, -1 if killed by a signal
};

Exit Wait(Child child);

}  // namespace bulwark::testing
