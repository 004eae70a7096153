// `bulwark check image`: an image (and the prompt that made it) through the
// same detectors and policy as the service's /v1/check: the banks' hashes,
// the image classifier, and the text rules on the prompt.
#include <CLI/CLI.hpp>

#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "bulwark/cli/commands.h"
#include "bulwark/cli/data_dir.h"
#include "bulwark/cli/image_safeguard.h"
#include "bulwark/cli/text_safeguard.h"
#include "bulwark/cli/verdict_output.h"
#include "bulwark/core/file.h"
#include "bulwark/detect/hash_detector.h"
#include "bulwark/detect/provenance_detector.h"
#include "bulwark/index/matcher.h"
#include "bulwark/policy/check.h"
#include "bulwark/service/json_io.h"

namespace bulwark::cli {
namespace {

namespace json = boost::json;

struct CheckImageArgs {
  DataDirArgs data;
  std::string file;
  std::string prompt;
  bool has_prompt = false;
  std::string direction = "output";
  std::string policy;
  std::string format = "text";
};

int Fail(const std::string& what, int code = kExitSomeFailed) {
  std::cerr << "bulwark check image: " << what << '\n';
  return code;
}

std::string Score(double s) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

int Run(const CheckImageArgs& args) {
  media::DecodeOptions decode;
  auto bytes = ReadFile(args.file, decode.limits.max_bytes);
  if (!bytes.ok()) return Fail(args.file + ": " + bytes.error().message);

  auto safeguard = LoadTextSafeguard(args.policy, "",
                                     TextCacheDir(ResolveDataDir(args.data)));
  if (!safeguard.ok()) return Fail(safeguard.error().message, kExitUsage);
  auto classifier = LoadImageClassifier(safeguard->policy, decode);
  if (!classifier.ok()) return Fail(classifier.error().message, kExitUsage);
  auto store = OpenStore(args.data);
  if (!store.ok()) return Fail(store.error().message);
  auto matcher = index::Matcher::Create(**store);
  if (!matcher.ok()) return Fail(matcher.error().message);
  detect::HashDetectorOptions hash_options =
      detect::HashDetector::DefaultOptions();
  hash_options.request.decode = decode;
  const detect::HashDetector hashes(**matcher, hash_options);

  std::vector<const detect::Detector*> detectors = {&hashes};
  if (safeguard->detector) detectors.push_back(safeguard->detector.get());
  if (*classifier) detectors.push_back(classifier->get());
  const detect::ProvenanceDetector provenance({});
  detectors.push_back(&provenance);

  detect::Item item;
  item.direction = args.direction == "input" ? detect::Direction::kInput
                                             : detect::Direction::kOutput;
  item.image = std::move(*bytes);
  if (args.has_prompt) item.prompt = args.prompt;
  item.decoded = std::make_shared<detect::DecodedImage>(decode);
  const policy::CheckResult r =
      policy::RunCheck(detectors, safeguard->policy, item);

  if (args.format == "json") {
    json::object out = service::VerdictJson(r.verdict);
    out["signals"] = service::FindingsJson(r.reports);
    out["errors"] = service::ErrorsJson(r.reports);
    std::cout << json::serialize(out) << '\n';
  } else {
    PrintVerdict(std::cout, r.verdict);
    for (const auto& rep : r.reports) {
      for (const auto& f : rep.findings) {
        if (f.kind == "image.class") {
          std::cout << "  signal " << f.category << ' ' << Score(f.score)
                    << '\n';
        }
      }
    }
  }
  for (const auto& rep : r.reports) {
    if (rep.error) return Fail(rep.error->ToString());
  }
  return r.verdict.flagged() ? kExitFound : kExitOk;
}

}  // namespace

Runner AddCheckImageCommand(CLI::App* check) {
  auto args = std::make_shared<CheckImageArgs>();
  CLI::App* cmd = check->add_subcommand(
      "image",
      "Check an image (and its prompt) with hashes, classifier and "
      "text rules");
  cmd->footer(
      R"(Runs what the service runs on /v1/check: the image's hashes against the
banks in the data directory, the policy's image classifier (its scores are
printed as signals), and the text rules on --prompt; the policy's [image]
rules combine the classifier's sexual score with signs of youth such as a
minor mentioned in the prompt (docs/POLICY.md). The image is decoded once
for all of them.

Exit status: 0 allowed; 3 held or refused (review, block or report); 1 the
image could not be checked (it does not decode: the policy's on_error
verdict is printed); 2 usage error, bad policy, missing model.)");
  cmd->add_option("FILE", args->file, "The image file")->required();
  cmd->add_option("--prompt", args->prompt,
                  "The prompt that produced the image")
      ->each([args](const std::string&) { args->has_prompt = true; });
  cmd->add_option("--direction", args->direction,
                  "output (a generated image, default) or input (an upload)")
      ->check(CLI::IsMember({"input", "output"}))
      ->capture_default_str();
  cmd->add_option("--policy", args->policy,
                  "Policy file (default: the built-in config/policy.toml)");
  cmd->add_option("-f,--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  AddDataDirOption(cmd, args->data);
  return [args] { return Run(*args); };
}

}  // namespace bulwark::cli
