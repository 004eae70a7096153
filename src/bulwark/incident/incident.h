// An incident: the record of one `review`, `block` or `report` verdict, for
// the review queue and for reports (docs/INCIDENTS.md). Plain values. The
// record never holds the content itself: the text, the prompt and the media
// bytes are evidence (evidence.h), kept only when configured and encrypted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/detect/item.h"
#include "bulwark/policy/check.h"

namespace bulwark::incident {

enum class State {
  kOpen,           // waiting for a person
  kConfirmed,      // a person confirmed the verdict
  kFalsePositive,  // a person found the verdict wrong
  kEscalated,      // handed on for a second look; can still be decided
};
const char* StateName(State s);  // "open", "confirmed", "false_positive", ...
Result<State> ParseState(std::string_view name);

// What a reviewer decides; each leads to the state of the same meaning.
enum class Decision { kConfirm, kFalsePositive, kEscalate };
const char* DecisionName(Decision d);  // "confirm", "false_positive", ...
Result<Decision> ParseDecision(std::string_view name);

// One piece of evidence behind the verdict, from a detector's finding.
struct Signal {
  std::string detector;  // "hash", "text"
  std::string kind;      // "hash.match", "text.rule"
  std::string category;  // the bank's category, or the text rule's name
  double score = 1.0;
  // Hash matches: the bank entry and how close the content came to it.
  std::string bank_name;
  int64_t bank_id = 0;
  int64_t entry_id = 0;
  std::string label;
  std::string signal_type;   // "pdq", "md5", "sha1", "sha256"
  std::string signal_value;  // the entry's hex value
  int distance = 0;
};

// One lexicon term or age behind a text rule, and where it was written.
struct TextMatch {
  std::string field;     // "text" or "prompt"
  std::string view;      // the reading it was found in ("text", "base64")
  std::string rule;      // the text rule that fired
  std::string category;  // the term's category ("minor", "age", ...)
  std::string term;      // the lexicon entry
  std::string matched;   // the normalised text that matched the term
  uint32_t begin = 0;    // byte span in the field as received
  uint32_t end = 0;
};

// Hashes of the content as received, lowercase hex; empty when not
// computed (no media, or the image did not decode for PDQ).
struct ContentHashes {
  std::string md5, sha1, sha256, pdq;
  std::string text_sha256;    // of the text field, when there was one
  std::string prompt_sha256;  // of the prompt, when there was one
};

struct DecisionRecord {
  Decision decision = Decision::kConfirm;
  std::string note;
  std::string actor;
  int64_t time_ms = 0;
};

// What the caller knows when it opens an incident.
struct NewIncident {
  int64_t time_ms = 0;  // when the content was checked
  std::string account;
  std::string api_key_id;
  detect::Direction direction = detect::Direction::kInput;
  policy::Action action = policy::Action::kReview;  // review, block, report
  std::vector<std::string> categories;  // the verdict's, sorted, unique
  std::vector<std::string> reasons;
  std::vector<Signal> signals;
  ContentHashes hashes;
  std::string media_type;  // "image/jpeg", ...; empty without media
  std::vector<TextMatch> text_matches;
};

struct Incident : NewIncident {
  int64_t id = 0;
  State state = State::kOpen;
  // Every decision so far, oldest first (an escalation, then the final
  // one); the state follows the last.
  std::vector<DecisionRecord> decisions;
  bool has_evidence = false;  // encrypted content is kept
  int64_t retain_until_ms = 0;

  // Generated content (NCMEC's generativeAi file annotation): the item came
  // out of a model, or carries a C2PA manifest that verified and declares
  // it AI-generated.
  bool generative_ai() const;
};

// The incident for `item` checked with result `check`, or nothing when the
// verdict needs none (allow). Reads the hash detector's hashes and every
// finding; hashes the text and prompt (SHA-256) so a report can name them
// without keeping them.
std::optional<NewIncident> FromCheck(const detect::Item& item,
                                     const policy::CheckResult& check,
                                     int64_t time_ms,
                                     const std::string& api_key_id = "");

}  // namespace bulwark::incident
