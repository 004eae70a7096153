#include "bulwark/redteam/runner.h"

#include "bulwark/core/ordered_parallel.h"
#include "bulwark/redteam/seeded_random.h"

namespace bulwark::redteam {
namespace {

// Ordered chains of exactly `length` distinct converters, appended to out.
void Extend(const Chain& converters, size_t length, Chain& prefix,
            std::vector<Chain>& out) {
  if (prefix.size() == length) {
    out.push_back(prefix);
    return;
  }
  for (const Converter* c : converters) {
    bool used = false;
    for (const Converter* p : prefix) used = used || p == c;
    if (used) continue;
    prefix.push_back(c);
    Extend(converters, length, prefix, out);
    prefix.pop_back();
  }
}

// What one check found; default-constructible for OrderedParallel.
struct Checked {
  Variant variant;
  bool ok = false;
  Outcome outcome;
  std::string error;
};

}  // namespace

std::vector<Chain> EnumerateChains(const Chain& converters, int depth) {
  std::vector<Chain> out;
  out.emplace_back();
  for (int length = 1; length <= depth; ++length) {
    Chain prefix;
    Extend(converters, static_cast<size_t>(length), prefix, out);
  }
  return out;
}

uint64_t VariantSeed(uint64_t run_seed, size_t prompt) {
  return Mix64(run_seed ^ Mix64(0x5EED0000ull + prompt));
}

Result<RunReport> RunRedteam(const std::vector<std::string>& seeds,
                             const std::vector<std::string>& benign,
                             const Chain& converters, const RunOptions& options,
                             Target& target, const VariantSink& sink) {
  if (options.depth < 1 || options.depth > 3) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the chain depth must be 1, 2 or 3, not " +
                         std::to_string(options.depth));
  }
  const std::vector<Chain> chains = EnumerateChains(converters, options.depth);
  RunReport report;
  report.target = target.name();
  report.depth = options.depth;
  report.seed = options.seed;
  for (const Converter* c : converters)
    report.converters.emplace_back(c->name());
  report.seed_prompts = seeds.size();
  report.benign_prompts = benign.size();
  std::vector<std::string> names;
  for (const Chain& chain : chains) {
    ChainStats stats;
    stats.chain = ChainName(chain);
    for (const Converter* c : chain) stats.converters.emplace_back(c->name());
    names.push_back(stats.chain);
    report.chains.push_back(std::move(stats));
  }

  // Item i: benign prompt i, then seed prompt (i - B) / C through chain
  // (i - B) % C.
  const size_t n = benign.size() + seeds.size() * chains.size();
  auto make = [&](size_t i) {
    Variant v;
    if (i < benign.size()) {
      v.benign = true;
      v.prompt = i;
      v.text = benign[i];
      return v;
    }
    const size_t k = i - benign.size();
    v.prompt = k / chains.size();
    const Chain& chain = chains[k % chains.size()];
    v.chain = names[k % chains.size()];
    v.depth = static_cast<int>(chain.size());
    v.text =
        ApplyChain(chain, seeds[v.prompt], VariantSeed(options.seed, v.prompt));
    return v;
  };
  auto check = [&](size_t i) {
    Checked c;
    c.variant = make(i);
    Result<Outcome> outcome = target.Check(c.variant.text);
    c.ok = outcome.ok();
    if (c.ok) {
      c.outcome = std::move(*outcome);
    } else {
      c.error = outcome.error().ToString();
    }
    return c;
  };
  Status status = Ok{};
  auto count = [&](size_t i, Checked& c) {
    if (!status.ok()) return;
    if (options.progress && ((i + 1) % 1000 == 0 || i + 1 == n)) {
      options.progress(i + 1, n);
    }
    if (sink) status = sink(c.variant);
    const bool failed = !c.ok;
    Miss miss{c.variant.prompt, c.variant.chain,   c.variant.depth,
              c.variant.text,   c.outcome.flagged, c.outcome.detail,
              c.error};
    if (c.variant.benign) {
      report.benign_flagged += c.ok && c.outcome.flagged;
      report.benign_errors += failed;
      if (failed || c.outcome.flagged) {
        report.false_positives.push_back(std::move(miss));
      }
      return;
    }
    ChainStats& stats = report.chains[(i - benign.size()) % chains.size()];
    ++stats.variants;
    stats.blocked += c.ok && c.outcome.blocked;
    stats.flagged += c.ok && c.outcome.flagged;
    stats.errors += failed;
    if (failed || !c.outcome.blocked) report.misses.push_back(std::move(miss));
  };

  if (options.jobs > 1 && target.concurrent()) {
    OrderedParallel<Checked>(n, options.jobs, check, count);
  } else {
    for (size_t i = 0; i < n && status.ok(); ++i) {
      Checked c = check(i);
      count(i, c);
    }
  }
  if (!status.ok()) return status.error();
  return report;
}

}  // namespace bulwark::redteam
