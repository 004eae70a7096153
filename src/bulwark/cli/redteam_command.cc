// `bulwark redteam text`: attack the text safeguard (built in, or any
// OpenAI-compatible moderation endpoint) with obfuscated variants of seed
// prompts, and fail when too many get through or too many benign prompts
// are flagged. CI runs it; the reports say which converter regressed.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include "bulwark/cli/builtin_target.h"
#include "bulwark/cli/commands.h"
#include "bulwark/cli/data_dir.h"
#include "bulwark/cli/text_safeguard.h"
#include "bulwark/core/durable_file.h"
#include "bulwark/redteam/converter.h"
#include "bulwark/redteam/display_text.h"
#include "bulwark/redteam/report.h"
#include "bulwark/redteam/runner.h"
#include "bulwark/redteam/templates.h"

#ifndef BULWARK_DATA_ROOT
#define BULWARK_DATA_ROOT "data"
#endif

namespace bulwark::cli {
namespace {

struct RedteamArgs {
  DataDirArgs data;  // where the built-in target caches compiled lexicons
  std::string seeds = BULWARK_DATA_ROOT "/redteam/seeds.txt";
  std::string benign = BULWARK_DATA_ROOT "/redteam/benign.txt";
  std::string converters = "all";
  int depth = 1;
  std::string target = "builtin";
  std::string key;
  int timeout_ms = 10000;
  int jobs = 1;
  uint64_t seed = 0;
  std::string json;
  std::string markdown;
  std::string junit;
  std::string emit_variants;
  size_t max_misses = 50;
  std::string policy;
  std::string lexicons;
  redteam::Floors floors;
};

int Fail(const std::string& what, int code) {
  std::cerr << "bulwark redteam text: " << what << '\n';
  return code;
}

// The converter names, wrapped for the help text.
std::string ConverterNames() {
  std::string names;
  size_t line = 0;
  for (const auto& c : redteam::MakeConverters({})) {
    std::string word(c->name());
    word += ',';
    if (line + word.size() + 1 > 76) {
      names += '\n';
      line = 0;
    } else if (!names.empty()) {
      names += ' ';
      ++line;
    }
    names += word;
    line += word.size();
  }
  names.back() = '.';
  return names;
}

Result<std::unique_ptr<redteam::Target>> MakeTarget(const RedteamArgs& a) {
  if (a.target == "builtin") {
    return MakeBuiltinTarget(a.policy, a.lexicons,
                             TextCacheDir(ResolveDataDir(a.data)));
  }
  if (a.target.rfind("http://", 0) == 0 || a.target.rfind("https://", 0) == 0) {
    return redteam::MakeHttpModerationTarget(
        a.target, a.key, std::chrono::milliseconds(a.timeout_ms));
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "--target must be 'builtin' or an http(s):// URL, not '" +
                       a.target + "'");
}

// The selected converters, built with the lexicon groups when the synonym
// converter is among them (loading lexicons is not free, and a remote
// target needs no local policy otherwise).
Result<redteam::Chain> BuildConverters(
    const RedteamArgs& a,
    std::vector<std::unique_ptr<redteam::Converter>>& all) {
  all = redteam::MakeConverters({});
  auto selected = redteam::SelectConverters(a.converters, all);
  if (!selected.ok()) return selected.error();
  bool synonym = false;
  for (const redteam::Converter* c : *selected) {
    synonym = synonym || c->name() == "synonym";
  }
  if (!synonym) return selected;
  auto groups = LexiconSynonymGroups(a.policy, a.lexicons);
  if (!groups.ok()) return groups.error();
  all = redteam::MakeConverters(std::move(*groups));
  return redteam::SelectConverters(a.converters, all);
}

Status WriteReport(const std::string& path, const std::string& content) {
  if (path.empty()) return Ok{};
  Status s = WriteFileDurably(path, content);
  if (!s.ok()) {
    return MakeError(s.error().code,
                     "cannot write " + path + ": " + s.error().message);
  }
  return Ok{};
}

int Run(const RedteamArgs& a) {
  auto seeds = redteam::LoadTemplateFile(a.seeds);
  if (!seeds.ok()) return Fail(seeds.error().message, kExitUsage);
  if (seeds->empty()) return Fail(a.seeds + " holds no prompts", kExitUsage);
  auto benign = redteam::LoadTemplateFile(a.benign);
  if (!benign.ok()) return Fail(benign.error().message, kExitUsage);

  std::vector<std::unique_ptr<redteam::Converter>> all;
  auto converters = BuildConverters(a, all);
  if (!converters.ok()) return Fail(converters.error().message, kExitUsage);
  auto target = MakeTarget(a);
  if (!target.ok()) return Fail(target.error().message, kExitUsage);

  std::ofstream variants;
  redteam::VariantSink sink;
  if (!a.emit_variants.empty()) {
    variants.open(a.emit_variants, std::ios::binary | std::ios::trunc);
    if (!variants) {
      return Fail("cannot create " + a.emit_variants, kExitUsage);
    }
    sink = [&](const redteam::Variant& v) -> Status {
      variants << redteam::VariantJsonLine(v) << '\n';
      if (!variants) {
        return MakeError(ErrorCode::kIo, "cannot write " + a.emit_variants);
      }
      return Ok{};
    };
  }

  redteam::RunOptions options;
  options.depth = a.depth;
  options.seed = a.seed;
  options.jobs = a.jobs;
  if (::isatty(STDERR_FILENO)) {
    options.progress = [](uint64_t done, uint64_t total) {
      std::cerr << "\rbulwark redteam text: " << done << " of " << total
                << " checked" << (done == total ? "\n" : "") << std::flush;
    };
  }
  auto report = redteam::RunRedteam(*seeds, *benign, *converters, options,
                                    **target, sink);
  if (!report.ok()) return Fail(report.error().message, kExitSomeFailed);
  if (variants.is_open()) {
    variants.close();
    if (!variants)
      return Fail("cannot write " + a.emit_variants, kExitSomeFailed);
  }

  const auto checks = redteam::CheckFloors(*report, a.floors);
  for (Status s :
       {WriteReport(a.json, redteam::ReportJson(*report, checks)),
        WriteReport(a.markdown,
                    redteam::ReportMarkdown(*report, checks, a.max_misses)),
        WriteReport(a.junit, redteam::ReportJunit(*report, checks))}) {
    if (!s.ok()) return Fail(s.error().message, kExitSomeFailed);
  }

  const redteam::RunReport& r = *report;
  std::cout << "target " << r.target << ", depth " << r.depth << ", "
            << r.converters.size() << " converters, " << r.seed_prompts
            << " seed prompts: " << r.Variants() << " variants, " << r.Blocked()
            << " blocked, " << r.Errors() << " errors\n"
            << "attack success rate " << redteam::Percent(r.AttackSuccessRate())
            << "; false-positive "
            << "rate " << redteam::Percent(r.FalsePositiveRate()) << " ("
            << r.benign_flagged << " flagged, " << r.benign_errors
            << " errors of " << r.benign_prompts << " benign prompts)\n";
  size_t missed = 0;
  for (const redteam::FloorCheck& c : checks) {
    if (c.ok) continue;
    ++missed;
    std::cout << "MISSED " << c.group.suite << " " << c.group.name << ": "
              << redteam::Percent(c.value) << (c.ceiling ? " > " : " < ")
              << redteam::Percent(c.limit) << '\n';
  }
  std::cout << (missed == 0 ? "all floors hold\n"
                            : std::to_string(missed) + " floor(s) missed\n");
  return missed == 0 ? kExitOk : kExitSomeFailed;
}

}  // namespace

Runner RegisterRedteamCommand(CLI::App& app) {
  auto args = std::make_shared<RedteamArgs>();
  CLI::App* cmd = app.add_subcommand(
      "redteam", "Attack a safeguard with obfuscated prompts and measure it");
  cmd->require_subcommand(1);
  CLI::App* text = cmd->add_subcommand(
      "text",
      "Check that the text safeguard blocks obfuscated variants of seed "
      "prompts and allows benign ones");
  text->footer(
      R"(
Every seed prompt is sent unchanged (chain "none") and through every chain
of 1..--depth distinct converters, applied left to right: at depth 2,
"leetspeak>base64" is the leetspeak form, base64-encoded. Each variant is
checked by the target, and so is each benign prompt (unconverted).
--converters takes 'all', 'none' (the prompts as they are) or a list of:
)" + ConverterNames() +
      R"(
Random choices (which letters, which look-alikes) follow --seed, so a run
is reproducible; synonym swaps terms within the policy's lexicon categories.

SEEDS and BENIGN are template files (data/redteam/README.md): '#' comments,
'@slot = term | term' definitions, and lines whose {slot}s expand to every
term (the cartesian product over a line's slots).

--target builtin checks with this build's policy (--policy, --lexicons);
an http(s) URL is POSTed {"input": TEXT} in OpenAI's /v1/moderations shape
(key from --key or BULWARK_REDTEAM_KEY, sent as a bearer token; TLS verified
against the system's trust store); results[0].categories["sexual/minors"]
true counts as blocked (with Bulwark's own service, its verdict must be
block or report: review is flagged, not blocked). --jobs checks in parallel
(URL targets only).

Counted honestly: a variant the target fails on (an error, a timeout) is
not blocked, and a benign prompt it fails on is a false positive.

Floors: the block rate of "none" and of each single converter must reach
--min-block-rate-depth1; at depth 2 and 3, all chains of that depth and
the chains holding each converter must reach --min-block-rate-depth2; the
benign false-positive rate must not exceed --max-false-positive-rate.

Outputs: a summary on stdout; --json (everything, every variant that got
through), --markdown (tables and the first --max-misses misses), --junit
(one test case per chain group and one for false positives), and
--emit-variants (JSON lines {"set","seed","chain","depth","text"}, the exact
texts checked, for running another matcher over them).

Exit status: 0 every floor holds; 1 a floor is missed, or the run or a
report could not be completed; 2 usage error (bad option, template file,
target or policy).)");
  text->add_option("--seeds", args->seeds,
                   "Template file of prompts that must be blocked")
      ->capture_default_str();
  text->add_option("--benign", args->benign,
                   "Template file of prompts that must be allowed")
      ->capture_default_str();
  text->add_option("--converters", args->converters,
                   "Comma-separated converter names, 'all' or 'none'")
      ->capture_default_str();
  text->add_option("--depth", args->depth, "Longest converter chain: 1, 2 or 3")
      ->check(CLI::Range(1, 3))
      ->capture_default_str();
  text->add_option("--target", args->target,
                   "'builtin' or a moderation endpoint's http(s) URL")
      ->capture_default_str();
  text->add_option("--key", args->key, "Bearer key for a URL target")
      ->envname("BULWARK_REDTEAM_KEY");
  text->add_option("--timeout-ms", args->timeout_ms,
                   "Per-request time limit for a URL target")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  text->add_option("-j,--jobs", args->jobs, "Parallel requests to a URL target")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  text->add_option("--seed", args->seed, "Seed for the converters' choices")
      ->capture_default_str();
  text->add_option("--json", args->json, "Write the JSON report here");
  text->add_option("--markdown", args->markdown,
                   "Write the Markdown report here");
  text->add_option("--junit", args->junit, "Write JUnit XML here");
  text->add_option("--emit-variants", args->emit_variants,
                   "Write every checked text here, one JSON object a line");
  text->add_option("--max-misses", args->max_misses,
                   "Misses listed in the Markdown report")
      ->capture_default_str();
  text->add_option("--policy", args->policy,
                   "Policy file (default: the built-in policy)");
  AddDataDirOption(text, args->data);
  text->add_option("--lexicons", args->lexicons,
                   "Lexicon directory instead of the policy's");
  auto add_rate = [text](const char* name, double& rate, const char* what) {
    text->add_option(name, rate, what)
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
  };
  add_rate("--min-block-rate-depth1", args->floors.min_block_rate_depth1,
           "Floor for 'none' and each single converter");
  add_rate("--min-block-rate-depth2", args->floors.min_block_rate_depth2,
           "Floor for all chains of 2 and 3 converters together");
  add_rate("--min-block-rate-each-depth2",
           args->floors.min_block_rate_depth2_each,
           "Floor for each converter's chains of 2 and 3 on their own "
           "(default 0: reported, not enforced)");
  add_rate("--max-false-positive-rate", args->floors.max_false_positive_rate,
           "Ceiling for benign prompts flagged");
  return [args, text] { return text->parsed() ? Run(*args) : kExitUsage; };
}

}  // namespace bulwark::cli
