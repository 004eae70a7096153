// The policy's image classifier as the commands that check images build it
// (serve, check image): the model its [image] section names, loaded and
// verified at start so a missing or corrupt model file stops the command
// with an error naming the file.
#pragma once

#include <memory>

#include "bulwark/core/result.h"
#include "bulwark/detect/classifier_detector.h"
#include "bulwark/policy/policy.h"

namespace bulwark::cli {

// Null when the policy names no model (`[image] model = ""`, or no [image]).
Result<std::unique_ptr<detect::ClassifierDetector>> LoadImageClassifier(
    const policy::Policy& policy, const media::DecodeOptions& decode);

}  // namespace bulwark::cli
