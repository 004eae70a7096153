// Reading an OpenAI-shaped /v1/moderations answer into an Outcome.
#pragma once

#include <string_view>

#include "bulwark/core/result.h"
#include "bulwark/redteam/target.h"

namespace bulwark::redteam {

// results[0].categories["sexual/minors"] decides: true is blocked and
// flagged. When results[0] also carries Bulwark's own `bulwark` object, its
// verdict separates the two: "review" is flagged but not blocked (counting
// it as blocked would flatter the safeguard). The detail is Bulwark's
// reasons, or the categories that are true. kCorrupt for a body that is
// not JSON or lacks results[0].categories["sexual/minors"]: an endpoint
// that does not answer that category cannot be measured.
Result<Outcome> ParseModerationAnswer(std::string_view body);

}  // namespace bulwark::redteam
