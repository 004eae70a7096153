#include "bulwark/cli/bank_transfer.h"

#include <CLI/CLI.hpp>

#include <iostream>

#include "bulwark/bank/export.h"
#include "bulwark/bank/import.h"
#include "bulwark/cli/commands.h"

namespace bulwark::cli {
namespace {

int Fail(const std::string& what, const Error& e) {
  std::cerr << "bulwark bank " << what << ": " << e.ToString() << '\n';
  return e.code == ErrorCode::kNotFound ? kExitUsage : kExitSomeFailed;
}

}  // namespace

CLI::App* AddImportCommand(CLI::App* bank, std::string& name,
                           BankTransferArgs& args) {
  auto* cmd = bank->add_subcommand(
      "import", "Import hash lists into a bank, each file in one transaction");
  cmd->add_option("NAME", name, "Bank name")->required();
  cmd->add_option("FILE", args.files, "Files to import")->required();
  cmd->add_option("--format", args.import_format,
                  "auto, lines, csv, jsonl or ncmec-xml")
      ->check(CLI::IsMember({"auto", "lines", "csv", "jsonl", "ncmec-xml"}))
      ->capture_default_str();
  cmd->add_option("--signal", args.signal_type,
                  "Type of values given without one: md5, sha1, sha256, pdq")
      ->check(CLI::IsMember({"md5", "sha1", "sha256", "pdq"}));
  cmd->add_flag("--skip-invalid", args.skip_invalid,
                "Import the valid records and report the invalid ones "
                "(default: any invalid record rolls the file back)");
  cmd->footer(R"(
Formats (detected from the content unless --format says):
  lines      one hash per line, bare hex or TYPE:HEX; '#' comments
  csv        header naming value|hash|signal, and optionally type,
             label, id|source_id, quality, disabled, disabled_reason
  jsonl      one object per line with the same field names
  ncmec-xml  NCMEC Hash Sharing v2 (<image>/<video> fingerprints;
             <deletedImage>/<deletedVideo> become tombstones)
A bare 64-digit value may be sha256 or pdq: give --signal or a TYPE: prefix.
Importing the same file again changes nothing; retracted (disabled) entries
stay disabled.)");
  return cmd;
}

CLI::App* AddExportCommand(CLI::App* bank, std::string& name,
                           BankTransferArgs& args) {
  auto* cmd = bank->add_subcommand(
      "export", "Write a bank's entries (tombstones included) to stdout");
  cmd->add_option("NAME", name, "Bank name")->required();
  cmd->add_option("--format", args.export_format, "csv or jsonl")
      ->check(CLI::IsMember({"csv", "jsonl"}))
      ->capture_default_str();
  return cmd;
}

int RunImport(bank::Store& store, const std::string& name,
              const BankTransferArgs& args) {
  auto b = store.GetBank(name);
  if (!b.ok()) return Fail("import", b.error());
  bank::ImportOptions options;
  options.format = *bank::ParseImportFormat(args.import_format);
  if (!args.signal_type.empty()) {
    options.signal_type = *hash::ParseSignalType(args.signal_type);
  }
  options.skip_invalid = args.skip_invalid;
  int status = kExitOk;
  for (const std::string& file : args.files) {
    auto report = bank::ImportFile(store, b->id, file, options);
    if (!report.ok()) {
      std::cerr << "bulwark bank import: " << file << ": "
                << report.error().ToString() << '\n';
      status = kExitSomeFailed;
      continue;
    }
    std::cout << file << ": " << bank::ImportFormatName(report->format) << ", "
              << report->records << " records: " << report->stats.added
              << " added, " << report->stats.unchanged << " unchanged, "
              << report->stats.tombstoned << " retracted";
    if (report->skipped) std::cout << ", " << report->skipped << " skipped";
    if (report->unsupported_fingerprints) {
      std::cout << ", " << report->unsupported_fingerprints
                << " unsupported fingerprints ignored";
    }
    std::cout << '\n';
    if (!report->issues.empty()) {
      for (const bank::ImportIssue& issue : report->issues) {
        std::cerr << file << ":" << issue.line << ": skipped: " << issue.message
                  << '\n';
      }
    }
  }
  return status;
}

int RunExport(bank::Store& store, const std::string& name,
              const BankTransferArgs& args) {
  auto b = store.GetBank(name);
  if (!b.ok()) return Fail("export", b.error());
  auto n = bank::ExportBank(
      store, b->id, *bank::ParseExportFormat(args.export_format), std::cout);
  if (!n.ok()) return Fail("export", n.error());
  std::cout.flush();
  return kExitOk;
}

}  // namespace bulwark::cli
