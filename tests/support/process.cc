#include "support/process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bulwark::testing {

Child Start(const std::string& program, const std::vector<std::string>& args,
            const std::string& log) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Child c;
  c.pid = ::fork();
  if (c.pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  return c;
}

Exit Wait(Child child) {
  int raw = 0;
  Exit e;
  if (::waitpid(child.pid, &raw, 0) != child.pid) return e;
  e.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return e;
}

}  // namespace bulwark::testing
