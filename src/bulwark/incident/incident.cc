#include "bulwark/incident/incident.h"

#include <algorithm>
#include <span>

#include "bulwark/detect/provenance_detector.h"
#include "bulwark/hash/digest.h"
#include "bulwark/media/decoder.h"

namespace bulwark::incident {
namespace {

constexpr State kStates[] = {State::kOpen, State::kConfirmed,
                             State::kFalsePositive, State::kEscalated};
constexpr Decision kDecisions[] = {Decision::kConfirm, Decision::kFalsePositive,
                                   Decision::kEscalate};

std::string Sha256Of(const std::string& text) {
  auto hex = hash::DigestHex(
      hash::DigestAlgorithm::kSha256,
      std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  return hex.ok() ? *hex : std::string();
}

Signal SignalFrom(const detect::Finding& f) {
  Signal s;
  s.detector = f.detector;
  s.kind = f.kind;
  s.category = f.category;
  s.score = f.score;
  if (f.match) {
    s.bank_name = f.match->bank_name;
    s.bank_id = f.match->bank_id;
    s.entry_id = f.match->entry_id;
    s.label = f.match->label;
    s.signal_type = hash::SignalTypeName(f.match->type);
    s.signal_value = f.match->value;
    s.distance = f.match->distance;
  }
  return s;
}

}  // namespace

const char* StateName(State s) {
  switch (s) {
    case State::kOpen:
      return "open";
    case State::kConfirmed:
      return "confirmed";
    case State::kFalsePositive:
      return "false_positive";
    case State::kEscalated:
      return "escalated";
  }
  return "open";
}

Result<State> ParseState(std::string_view name) {
  for (State s : kStates) {
    if (name == StateName(s)) return s;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown incident state '" + std::string(name) +
                       "' (open, confirmed, false_positive or escalated)");
}

const char* DecisionName(Decision d) {
  switch (d) {
    case Decision::kConfirm:
      return "confirm";
    case Decision::kFalsePositive:
      return "false_positive";
    case Decision::kEscalate:
      return "escalate";
  }
  return "confirm";
}

Result<Decision> ParseDecision(std::string_view name) {
  for (Decision d : kDecisions) {
    if (name == DecisionName(d)) return d;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown decision '" + std::string(name) +
                       "' (confirm, false_positive or escalate)");
}

bool Incident::generative_ai() const {
  if (direction == detect::Direction::kOutput) return true;
  return std::any_of(signals.begin(), signals.end(), [](const Signal& s) {
    return s.kind == detect::kProvenanceAiGenerated;
  });
}

std::optional<NewIncident> FromCheck(const detect::Item& item,
                                     const policy::CheckResult& check,
                                     int64_t time_ms,
                                     const std::string& api_key_id) {
  if (!check.verdict.flagged()) return std::nullopt;
  NewIncident n;
  n.time_ms = time_ms;
  n.account = item.account;
  n.api_key_id = api_key_id;
  n.direction = item.direction;
  n.action = check.verdict.action;
  n.categories = check.verdict.categories;
  n.reasons = check.verdict.reasons;
  for (const detect::DetectorReport& report : check.reports) {
    if (report.hashes) {
      const hash::FileHashes& h = *report.hashes;
      n.hashes.md5 = h.md5.value_or("");
      n.hashes.sha1 = h.sha1.value_or("");
      n.hashes.sha256 = h.sha256.value_or("");
      if (h.pdq) n.hashes.pdq = h.pdq->hash.ToHex();
    }
    for (const detect::Finding& f : report.findings) {
      n.signals.push_back(SignalFrom(f));
      for (const detect::TextEvidence& e : f.evidence) {
        n.text_matches.push_back(TextMatch{f.field, f.view, f.category,
                                           e.category, e.term, e.matched,
                                           e.span.begin, e.span.end});
      }
    }
  }
  if (item.image) {
    const media::ImageFormat format = media::SniffFormat(*item.image);
    n.media_type = format == media::ImageFormat::kUnknown
                       ? "application/octet-stream"
                       : std::string("image/") + media::ImageFormatName(format);
  }
  if (item.text) n.hashes.text_sha256 = Sha256Of(*item.text);
  if (item.prompt) n.hashes.prompt_sha256 = Sha256Of(*item.prompt);
  return n;
}

}  // namespace bulwark::incident
