// `bulwark scan`: check a dataset (directories, WebDataset tar shards)
// against the banks and write what a curator needs to remove the hits.
// `bulwark scan merge` joins the results of partitioned runs.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <thread>

#include "bulwark/cli/commands.h"
#include "bulwark/cli/data_dir.h"
#include "bulwark/cli/file_hashing.h"
#include "bulwark/core/text_escape.h"
#include "bulwark/index/matcher.h"
#include "bulwark/scan/mpi_scan.h"
#include "bulwark/scan/report.h"
#include "bulwark/scan/scanner.h"
#include "bulwark/scan/shard_list.h"

namespace bulwark::cli {
namespace {

struct ScanArgs {
  DataDirArgs data;
  std::vector<std::string> sources;
  std::string out;
  std::vector<std::string> banks;
  int threshold = -1;
  std::string filtered;
  bool force = false;
  std::string partition;
  bool mpi = false;
  bool quiet = false;
  double progress_interval = 30;
  uint64_t max_inflight_mb = 512;
  FileHashingArgs hashing;
  std::vector<std::string> merge_parts;
};

int Fail(const std::string& what, int code = kExitSomeFailed) {
  std::cerr << "bulwark scan: " << what << '\n';
  return code;
}

// What a resumed run must agree on with the results already in --out.
std::string SettingsJson(const ScanArgs& a) {
  std::string banks = "[";
  std::set<std::string> sorted(a.banks.begin(), a.banks.end());
  for (const std::string& b : sorted) {
    banks += (banks.size() > 1 ? "," : "") + JsonQuote(b);
  }
  banks += "]";
  return "{\"algorithms\":" + JsonQuote(a.hashing.algorithms) +
         ",\"pdq_mode\":" + JsonQuote(a.hashing.pdq_mode) +
         ",\"dihedral\":" + (a.hashing.dihedral ? "true" : "false") +
         ",\"exif_orientation\":" + JsonQuote(a.hashing.exif_orientation) +
         ",\"threshold\":" +
         (a.threshold >= 0 ? std::to_string(a.threshold) : "null") +
         ",\"banks\":" + banks + "}";
}

int ExitFor(const scan::ReportTotals& t, const std::string& out, bool quiet) {
  if (!quiet) {
    std::cerr << "bulwark scan: " << t.shards << " shards, " << t.samples
              << " samples, " << t.images << " images, " << t.hit_samples
              << " to remove, " << t.errors << " errors; report in " << out
              << '\n';
  }
  if (!t.failed_shards.empty()) {
    std::cerr << "bulwark scan: " << t.failed_shards.size()
              << " shard(s) could not be read to the end (see " << out
              << "/errors.jsonl); run again to retry them\n";
    return kExitSomeFailed;
  }
  return t.hit_samples > 0 ? kExitFound : kExitOk;
}

int RunMerge(const ScanArgs& args) {
  if (args.out.empty()) return Fail("merge needs --out DIR", kExitUsage);
  auto totals = scan::MergeScans(args.merge_parts, args.out);
  if (!totals.ok()) return Fail(totals.error().message, kExitUsage);
  return ExitFor(*totals, args.out, args.quiet);
}

int Run(const ScanArgs& args) {
  auto request = MakeHashRequest(args.hashing);
  if (!request.ok()) return Fail(request.error().message, kExitUsage);
  auto paths = scan::ExpandSourceArgs(args.sources);
  if (!paths.ok()) return Fail(paths.error().message, kExitUsage);
  auto shards = scan::ResolveShards(*paths);
  if (!shards.ok()) return Fail(shards.error().message, kExitUsage);
  if (!args.partition.empty()) {
    auto part = scan::ParsePartition(args.partition);
    if (!part.ok()) return Fail(part.error().message, kExitUsage);
    *shards =
        scan::SelectPartition(std::move(*shards), part->index, part->count);
  }

  auto store = OpenStore(args.data);
  if (!store.ok()) return Fail(store.error().ToString());
  scan::ScanOptions options;
  for (const std::string& name : args.banks) {
    auto b = (*store)->GetBank(name);
    if (!b.ok()) return Fail(b.error().message, kExitUsage);
    options.check.banks.insert(name);
  }
  auto matcher = index::Matcher::Create(**store);
  if (!matcher.ok()) return Fail(matcher.error().ToString());
  const auto snapshot = (*matcher)->snapshot();
  if (snapshot->entry_count() == 0) {
    return Fail("no enabled bank in " + ResolveDataDir(args.data) +
                    " holds any hash to match against; import a list first "
                    "(bulwark bank import) or give --data DIR",
                kExitUsage);
  }

  options.check.request = *request;
  if (args.threshold >= 0) options.check.threshold = args.threshold;
  options.source.max_member_bytes = args.hashing.limits.max_bytes;
  options.source.keep_all_bytes = !args.filtered.empty();
  options.jobs =
      args.hashing.jobs > 0
          ? args.hashing.jobs
          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.out_dir = args.out;
  options.filtered_dir = args.filtered;
  options.max_inflight_bytes = args.max_inflight_mb << 20;
  if (!args.filtered.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(args.filtered, ec);
    if (ec) return Fail("cannot create " + args.filtered + ": " + ec.message());
  }
  const scan::ProgressMode progress = args.quiet ? scan::ProgressMode::kQuiet
                                      : ::isatty(STDERR_FILENO)
                                          ? scan::ProgressMode::kTerminal
                                          : scan::ProgressMode::kLines;
  const auto interval = std::chrono::milliseconds(
      progress == scan::ProgressMode::kTerminal
          ? 500
          : static_cast<int64_t>(args.progress_interval * 1000));

  if (args.mpi) {
    auto totals =
        scan::RunMpiScan(*shards, *snapshot, options, SettingsJson(args),
                         args.force, progress, interval);
    if (!totals.ok()) return Fail(totals.error().message);
    if (!*totals) return kExitOk;  // a worker rank: rank 0 reports
    return ExitFor(**totals, args.out, args.quiet);
  }

  Status settings =
      scan::EnsureSameSettings(args.out, SettingsJson(args), args.force);
  if (!settings.ok()) return Fail(settings.error().message, kExitUsage);
  scan::RemoveStaleStaging(args.out);
  auto todo = scan::ShardsToScan(*shards, args.out, args.force, args.filtered);
  if (!todo.ok()) return Fail(todo.error().message);
  if (!args.quiet && todo->size() < shards->size()) {
    std::cerr << "bulwark scan: " << shards->size() - todo->size() << " of "
              << shards->size() << " shards already done in " << args.out
              << " (--force to rescan)\n";
  }
  {
    scan::ProgressReporter reporter(progress, std::cerr, todo->size(),
                                    interval);
    scan::LocalFeed feed(*todo, args.out, *shards);
    auto totals = scan::ScanShards(*shards, feed, *snapshot, options,
                                   &reporter.counters());
    if (!totals.ok()) return Fail(totals.error().message);
  }
  auto report = scan::AssembleReport(args.out);
  if (!report.ok()) return Fail(report.error().message);
  return ExitFor(*report, args.out, args.quiet);
}

}  // namespace

Runner RegisterScanCommand(CLI::App& app) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* cmd = app.add_subcommand(
      "scan",
      "Scan a dataset (directories, WebDataset tar shards) for known "
      "content");
  cmd->footer(R"(
SOURCE is a directory (scanned recursively; each image file is a sample), a
tar shard (.tar, .tar.gz, .tgz, .tar.zst; WebDataset layout: members sharing
a key, KEY.jpg KEY.txt KEY.json, form one sample and every image member is
checked), '@FILE' (one path per line), or a brace pattern such as
'shards/{00000..00999}.tar' (quote it from the shell).

Every image is hashed (MD5, SHA-1, SHA-256 of its bytes; PDQ of its pixels)
and looked up in the enabled banks (or --bank ...). Results go to --out DIR:
  matches.jsonl   one line per hit (shard, key, member, offset, hash type,
                  bank, entry id, label, distance, PDQ quality)
  removal.txt     the samples to drop, sorted: WebDataset keys for tar
                  shards, paths relative to the scanned root for directories
  errors.jsonl    members that could not be read or decoded, and why
  ID_stats.json   per shard counts and timing (img2dataset style)
  summary.json    totals and the settings used
No output holds image bytes. --write-filtered DIR also writes a copy of each
tar shard without the hit samples (every other member identical).

Each shard's results are committed atomically as it finishes; running the
same command again skips finished shards and redoes interrupted or failed
ones (--force rescans everything). --partition I/N scans part I (0-based)
of N of the shard list (Slurm: --partition $SLURM_ARRAY_TASK_ID/N); join the
parts' --out directories with 'bulwark scan merge --out DIR PART...'. Under
mpirun, --mpi lets rank 0 hand shards out to the other ranks and write the
results. See docs/SCANNING.md.

Exit status: 0 scan complete, nothing to remove; 3 complete and samples to
remove; 1 some shards could not be read to the end (the report covers the
rest; run again to retry them) or results could not be written; 2 usage
error.)");
  AddDataDirOption(cmd, args->data);
  cmd->add_option("SOURCE", args->sources,
                  "Directories, tar shards, @lists or brace patterns");
  cmd->add_option("-o,--out", args->out, "Directory for results (required)");
  // One name per --bank, so the option cannot swallow the SOURCEs after it.
  cmd->add_option("--bank", args->banks, "Only this bank (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--threshold", args->threshold,
                  "PDQ radius for every bank instead of each bank's own")
      ->check(CLI::Range(0, 256));
  cmd->add_option("--write-filtered", args->filtered,
                  "Write copies of the tar shards without the hit samples "
                  "here");
  cmd->add_flag("--force", args->force,
                "Rescan shards that already have results in --out");
  cmd->add_option("--partition", args->partition,
                  "Scan only part I of N of the shards (I/N, 0-based)");
  cmd->add_flag("--mpi", args->mpi,
                "Run as one rank of an MPI job (under mpirun)");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress or summary on stderr");
  cmd->add_option("--progress-interval", args->progress_interval,
                  "Seconds between progress lines when stderr is not a "
                  "terminal")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-inflight-mb", args->max_inflight_mb,
                  "Sample bytes held between reading and writing, MiB")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  AddFileHashingOptions(cmd, args->hashing,
                        "Also match the 8 rotations and mirrors of each "
                        "image's PDQ hash");

  CLI::App* merge = cmd->add_subcommand(
      "merge",
      "Join the --out directories of partitioned scans into one "
      "report");
  merge->add_option("PART", args->merge_parts, "Scan output directories")
      ->required();
  merge->add_option("-o,--out", args->out, "Directory for the joined report")
      ->required();
  merge->add_flag("-q,--quiet", args->quiet, "No summary on stderr");

  return [args, merge] {
    if (merge->parsed()) return RunMerge(*args);
    if (args->out.empty()) return Fail("--out DIR is required", kExitUsage);
    if (args->sources.empty())
      return Fail("give at least one SOURCE", kExitUsage);
    return Run(*args);
  };
}

}  // namespace bulwark::cli
