// A finding is a piece of evidence a detector reports about an item (what
// DESIGN.md calls a signal; `hash::Signal` already names typed hash
// values). Detectors never decide: the policy turns findings into a
// verdict.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/hash/file_hasher.h"
#include "bulwark/index/matcher.h"
#include "bulwark/text/text_run.h"

namespace bulwark::detect {

// One lexicon term or age behind a text rule, with where the user wrote it.
struct TextEvidence {
  std::string category;  // "minor", "sexual", "age", ...
  std::string term;      // the lexicon entry ("12 years" for an age)
  std::string matched;   // the normalised text that matched it
  text::Span span;       // bytes of the field it was found in
};

struct Finding {
  std::string detector;  // which detector: "hash"
  // What was found, dotted: "hash.match" for a bank match.
  std::string kind;
  // The category the evidence points to: for a bank match, the bank's
  // category ("csam", "ncii", "test", ...).
  std::string category;
  double score = 1.0;  // 0..1; 1 for exact evidence such as a hash match
  std::string reason;  // one line for people: "PDQ distance 4 to entry 81233
                       // of bank ncmec"
  std::optional<index::Match> match;  // for hash matches
  // For text rules: which field ("text", "prompt"), which reading of it
  // ("text", "base64", "rot13", ...) and the terms behind the rule.
  std::string field, view;
  std::vector<TextEvidence> evidence;
};

// Everything one detector says about one item.
struct DetectorReport {
  std::string detector;
  std::vector<Finding> findings;
  // Set when the detector could not look at the item (an image that does
  // not decode, a bank that failed to load): the policy applies its
  // on_error verdict, never a silent allow.
  std::optional<Error> error;
  // The hashes the hash detector computed, for the caller's response.
  std::optional<hash::FileHashes> hashes;
};

}  // namespace bulwark::detect
