// `bulwark check text`: the text safeguard from the command line, the same
// detector and policy the service runs on /v1/moderations and /v1/check
// (`check image` is in check_image_command.cc).
#include <CLI/CLI.hpp>

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "bulwark/cli/commands.h"
#include "bulwark/cli/data_dir.h"
#include "bulwark/cli/text_safeguard.h"
#include "bulwark/cli/verdict_output.h"
#include "bulwark/policy/check.h"
#include "bulwark/service/json_io.h"

namespace bulwark::cli {
namespace {

namespace json = boost::json;

// The default text limit is the normaliser's; a file far beyond it is read
// no further than this.
constexpr std::streamsize kMaxFileBytes = 16 << 20;

struct CheckTextArgs {
  DataDirArgs data;
  std::string text;
  std::string file;
  bool as_prompt = false;
  std::string policy;
  std::string lexicons;
  std::string format = "text";
  bool explain = false;
};

int Fail(const std::string& what, int code = kExitSomeFailed) {
  std::cerr << "bulwark check text: " << what << '\n';
  return code;
}

json::object FindingJson(const detect::Finding& f, std::string_view input) {
  json::object o;
  o["rule"] = f.category;
  o["field"] = f.field;
  o["view"] = f.view;
  o["reason"] = f.reason;
  json::array evidence;
  for (const detect::TextEvidence& e : f.evidence) {
    json::object j;
    j["category"] = e.category;
    j["term"] = e.term;
    j["matched"] = e.matched;
    j["span"] = json::array{e.span.begin, e.span.end};
    if (e.span.end <= input.size() && e.span.begin < e.span.end) {
      j["original"] = input.substr(e.span.begin, e.span.end - e.span.begin);
    }
    evidence.push_back(std::move(j));
  }
  o["evidence"] = std::move(evidence);
  return o;
}

int Run(const CheckTextArgs& args) {
  if (args.text.empty() == args.file.empty()) {
    return Fail("give the text as an argument or --file FILE ('-' for stdin)",
                kExitUsage);
  }
  std::string input = args.text;
  if (!args.file.empty()) {
    std::ifstream file;
    if (args.file != "-") {
      file.open(args.file, std::ios::binary);
      if (!file) return Fail("cannot open " + args.file, kExitUsage);
    }
    std::istream& in = args.file == "-" ? std::cin : file;
    input.resize(static_cast<size_t>(kMaxFileBytes) + 1);
    in.read(input.data(), kMaxFileBytes + 1);
    input.resize(static_cast<size_t>(in.gcount()));
    if (input.size() > static_cast<size_t>(kMaxFileBytes)) {
      return Fail(args.file + " is larger than 16 MiB");
    }
  }
  auto safeguard = LoadTextSafeguard(args.policy, args.lexicons,
                                     TextCacheDir(ResolveDataDir(args.data)));
  if (!safeguard.ok()) return Fail(safeguard.error().message, kExitUsage);
  if (!safeguard->detector) {
    return Fail("the policy has no [[text.rule]]: nothing to check text with",
                kExitUsage);
  }
  detect::Item item;
  item.direction =
      args.as_prompt ? detect::Direction::kOutput : detect::Direction::kInput;
  (args.as_prompt ? item.prompt : item.text) = input;
  const policy::CheckResult r =
      policy::RunCheck({safeguard->detector.get()}, safeguard->policy, item);

  text::ChangeLog changes;
  if (args.explain) {
    auto explained = safeguard->checker->Check(input, /*explain=*/true);
    if (explained.ok()) changes = std::move(explained->changes);
  }
  if (args.format == "json") {
    json::object out = service::VerdictJson(r.verdict);
    json::array findings, errors, changed;
    for (const auto& rep : r.reports) {
      for (const auto& f : rep.findings)
        findings.push_back(FindingJson(f, input));
      if (rep.error) errors.emplace_back(rep.error->ToString());
    }
    for (const text::Change& c : changes) {
      changed.push_back(
          json::object{{"step", c.step},
                       {"span", json::array{c.original.begin, c.original.end}},
                       {"from", c.from},
                       {"to", c.to}});
    }
    out["findings"] = std::move(findings);
    out["errors"] = std::move(errors);
    if (args.explain) out["changes"] = std::move(changed);
    std::cout << json::serialize(out) << '\n';
  } else {
    PrintVerdict(std::cout, r.verdict);
    for (const text::Change& c : changes) {
      std::cout << "  changed by " << c.step << " at bytes " << c.original.begin
                << ".." << c.original.end << ": '" << c.from << "' -> '" << c.to
                << "'\n";
    }
  }
  for (const auto& rep : r.reports) {
    if (rep.error) return Fail(rep.error->ToString());
  }
  return r.verdict.flagged() ? kExitFound : kExitOk;
}

}  // namespace

Runner RegisterCheckCommand(CLI::App& app) {
  CLI::App* check =
      app.add_subcommand("check", "Check content with the policy's detectors");
  check->require_subcommand(1);
  auto args = std::make_shared<CheckTextArgs>();
  CLI::App* cmd = check->add_subcommand(
      "text", "Check a prompt (or an output's prompt) with the text rules");
  cmd->footer(
      R"(The text is normalised against obfuscation (hidden and invisible characters,
look-alike letters, accents, leetspeak, spaced letters, base64/hex/%-encoding,
rot13, reversed text) and matched against the policy's lexicons and
[[text.rule]]s (docs/POLICY.md). Compiled lexicons are cached under
DATA/cache/text, so later runs start faster.

Output: the verdict and its categories, then one line per rule that fired,
naming the terms and the byte spans of the input they came from (--format
json for machines; --explain adds what each normalisation step changed).

Exit status: 0 allowed; 3 held or refused (review, block or report); 1 the
text could not be checked (too long: the policy's on_error verdict is
printed); 2 usage error, bad policy or lexicon.)");
  cmd->add_option("TEXT", args->text, "The text to check");
  cmd->add_option("--file", args->file,
                  "Read the text from FILE ('-' for stdin)");
  cmd->add_flag("--prompt", args->as_prompt,
                "Check it as the prompt of a generated output");
  cmd->add_option("--policy", args->policy,
                  "Policy file (default: the built-in config/policy.toml)");
  cmd->add_option("--lexicons", args->lexicons,
                  "Lexicon directory instead of the policy's");
  cmd->add_option("-f,--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("--explain", args->explain,
                "Also show what each normalisation step changed");
  AddDataDirOption(cmd, args->data);
  Runner image = AddCheckImageCommand(check);
  return [args, image, check] {
    return check->got_subcommand("image") ? image() : Run(*args);
  };
}

}  // namespace bulwark::cli
