// Neutral, synthetic incidents for the incident tests: placeholder
// accounts and text, hashes of benign synthesized images.
#pragma once

#include <string>

#include "bulwark/incident/incident.h"

namespace bulwark::testing {

inline constexpr int64_t kSampleTimeMs = 1'790'000'000'000;  // 2026-09-21

inline incident::NewIncident SampleIncident(
    policy::Action action = policy::Action::kReport,
    std::vector<std::string> categories = {"sexual/minors"},
    const std::string& account = "acct-0001") {
  incident::NewIncident n;
  n.time_ms = kSampleTimeMs;
  n.account = account;
  n.api_key_id = "key-7";
  n.direction = detect::Direction::kOutput;
  n.action = action;
  n.categories = std::move(categories);
  n.reasons = {"bank match in test-bank"};
  incident::Signal s;
  s.detector = "hash";
  s.kind = "hash.match";
  s.category = "csam";
  s.bank_name = "test-bank";
  s.bank_id = 3;
  s.entry_id = 81;
  s.label = "sample-label";
  s.signal_type = "pdq";
  s.signal_value = std::string(64, 'a');
  s.distance = 4;
  n.signals.push_back(s);
  n.hashes.md5 = std::string(32, '1');
  n.hashes.sha1 = std::string(40, '2');
  n.hashes.sha256 = std::string(64, '3');
  n.hashes.pdq = std::string(64, 'a');
  n.media_type = "image/jpeg";
  n.text_matches.push_back(
      incident::TextMatch{"prompt", "text", "placeholder_rule", "placeholder",
                          "lorem", "lorem", 6, 11});
  return n;
}

}  // namespace bulwark::testing
