// What the red-team runner attacks: anything that answers "would you refuse
// this text?". The built-in safeguard is one target (cli/builtin_target.h);
// a remote moderation endpoint is another, so Bulwark's own service, or
// anyone's OpenAI-compatible filter, can be measured the same way.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "bulwark/core/result.h"

namespace bulwark::redteam {

struct Outcome {
  // Refused: flagged sexual/minors at block level or above (remote:
  // categories["sexual/minors"] true, or Bulwark's own verdict block or
  // report when the answer carries one).
  bool blocked = false;
  // Any sexual/minors flag, "review" included.
  bool flagged = false;
  std::string detail;  // one line: which rules fired
};

class Target {
 public:
  virtual ~Target() = default;
  virtual std::string name() const = 0;
  virtual Result<Outcome> Check(std::string_view text) = 0;
  // Whether Check may run on several threads at once. The runner checks one
  // variant at a time otherwise, whatever --jobs says.
  virtual bool concurrent() const { return false; }
};

// A target that calls `fn` (tests, and the built-in safeguard). Not
// concurrent: `fn` need not be thread-safe.
std::unique_ptr<Target> MakeFunctionTarget(
    std::string name, std::function<Result<Outcome>(std::string_view)> fn);

// POSTs {"input": text} to an endpoint speaking OpenAI's /v1/moderations
// shape over http:// or https:// (certificate chain and host name verified
// against the system's trust store), with "Authorization: Bearer KEY" when
// `bearer_key` is not empty. Reads results[0].categories["sexual/minors"]
// and results[0].flagged (and Bulwark's `bulwark` verdict when present).
// Connections are kept alive and reopened after a failure; one per thread
// checking at once (concurrent). Each Check is bounded by `timeout`, and an
// answer larger than 1 MiB is an error. kInvalidArgument for a URL that is
// not http(s)://host[:port][/path].
Result<std::unique_ptr<Target>> MakeHttpModerationTarget(
    const std::string& url, std::string bearer_key,
    std::chrono::milliseconds timeout);

}  // namespace bulwark::redteam
