// `bulwark audit`: verify, export and key management for the append-only,
// hash-chained audit log in DATA/audit.db (docs/AUDIT.md).
#include <CLI/CLI.hpp>

#include <boost/json.hpp>
#include <iostream>
#include <memory>
#include <sstream>

#include "bulwark/audit/audit_reader.h"
#include "bulwark/audit/export.h"
#include "bulwark/audit/signing_key.h"
#include "bulwark/audit/verify.h"
#include "bulwark/cli/commands.h"
#include "bulwark/cli/data_dir.h"
#include "bulwark/core/clock.h"
#include "bulwark/core/durable_file.h"

namespace bulwark::cli {
namespace {

struct AuditArgs {
  DataDirArgs data;
  std::vector<std::string> public_keys;
  std::string private_key;
  std::string format = "text";
  std::string since;
  int64_t since_seq = 1;
  std::string out;
  std::string key_path;
};

int Fail(const std::string& what, const Error& e) {
  std::cerr << "bulwark audit " << what << ": " << e.ToString() << '\n';
  // A log or key that is not there, or bad input, is the caller's to fix;
  // a database that cannot be read is reported like tampering (it may be).
  return e.code == ErrorCode::kInvalidArgument ||
                 e.code == ErrorCode::kNotFound ||
                 e.code == ErrorCode::kUnsupported
             ? kExitUsage
             : kExitSomeFailed;
}

void PrintText(const audit::VerifyReport& r) {
  if (r.problem) {
    std::cout << "TAMPERED: " << r.problem->message << '\n'
              << "(" << r.records
              << " records before it verified; verification stops at the "
                 "first problem)\n";
    return;
  }
  std::cout << "audit log intact: " << r.records << " records";
  if (r.records > 0) std::cout << ", last hash " << r.last_hash;
  std::cout << "; " << r.checkpoints << " checkpoints, " << r.signatures_checked
            << " signatures verified\n";
  for (const std::string& limit : r.limits) {
    std::cout << "note: " << limit << '\n';
  }
}

void PrintJson(const audit::VerifyReport& r) {
  boost::json::object o;
  o["intact"] = r.intact();
  o["records"] = r.records;
  o["last_seq"] = r.last_seq;
  o["last_hash"] = r.last_hash;
  o["checkpoints"] = r.checkpoints;
  o["signatures_checked"] = r.signatures_checked;
  if (r.problem) {
    o["problem"] = {{"seq", r.problem->seq},
                    {"kind", audit::ProblemKindName(r.problem->kind)},
                    {"message", r.problem->message}};
  } else {
    o["problem"] = nullptr;
  }
  boost::json::array limits;
  for (const std::string& l : r.limits) limits.emplace_back(l);
  o["limits"] = std::move(limits);
  std::cout << boost::json::serialize(o) << '\n';
}

int Verify(const AuditArgs& a) {
  audit::VerifyOptions options;
  std::vector<std::string> key_files = a.public_keys;
  if (!a.private_key.empty()) key_files.push_back(a.private_key);
  for (const std::string& path : key_files) {
    auto key = audit::PublicKey::FromPemFile(path);
    if (!key.ok()) return Fail("verify", key.error());
    options.keys.push_back(std::move(*key));
  }
  auto reader = audit::AuditReader::Open(ResolveDataDir(a.data));
  if (!reader.ok()) return Fail("verify", reader.error());
  auto report = audit::Verify(**reader, options);
  if (!report.ok()) return Fail("verify", report.error());
  if (a.format == "json") {
    PrintJson(*report);
  } else {
    PrintText(*report);
  }
  return report->intact() ? kExitOk : kExitSomeFailed;
}

int Export(const AuditArgs& a) {
  audit::ExportOptions options;
  options.since_seq = a.since_seq;
  if (!a.since.empty()) {
    auto t = ParseUtcMs(a.since);
    if (!t.ok()) return Fail("export", t.error());
    options.since_ms = *t;
  }
  auto reader = audit::AuditReader::Open(ResolveDataDir(a.data));
  if (!reader.ok()) return Fail("export", reader.error());
  if (a.out.empty()) {
    auto n = audit::ExportJsonl(**reader, options, std::cout);
    if (!n.ok()) return Fail("export", n.error());
    return kExitOk;
  }
  // Into memory first, then one durable write: an archive file is either
  // the whole export or absent, never cut short by a crash.
  std::ostringstream buffer;
  auto n = audit::ExportJsonl(**reader, options, buffer);
  if (!n.ok()) return Fail("export", n.error());
  auto s = WriteFileDurably(a.out, buffer.str());
  if (!s.ok()) return Fail("export", s.error());
  std::cerr << "exported " << *n << " records to " << a.out << '\n';
  return kExitOk;
}

int MakeKey(const AuditArgs& a) {
  auto id = audit::GenerateKeyFiles(a.key_path);
  if (!id.ok()) return Fail("make-key", id.error());
  std::cout << "wrote private key " << a.key_path << " (mode 0600) and public "
            << "key " << a.key_path << ".pub; key id " << *id << '\n'
            << "Give the private key to the service as its audit signing key "
               "and keep the public key wherever the log is verified.\n";
  return kExitOk;
}

}  // namespace

Runner RegisterAuditCommand(CLI::App& app) {
  auto args = std::make_shared<AuditArgs>();
  CLI::App* cmd = app.add_subcommand(
      "audit", "Verify and export the tamper-evident audit log");
  cmd->require_subcommand(1);
  AddDataDirOption(cmd, args->data);
  cmd->footer(R"(
The audit log (DATA/audit.db) records every administrative, reviewer and
enforcement action: who (a key id, never a key), what, when, on what and
why. Each record carries the SHA-256 of the one before it, and with a
signing key a checkpoint is signed every 64 records (by default), so editing,
deleting or reordering records is detectable. See docs/AUDIT.md.)");

  auto* verify = cmd->add_subcommand(
      "verify",
      "Walk the hash chain and the signed checkpoints; report the first "
      "record that was altered, removed or reordered");
  verify->add_option("--public-key", args->public_keys,
                     "PEM public key whose checkpoints are trusted "
                     "(repeatable, e.g. across a key rotation)");
  verify->add_option("--key", args->private_key,
                     "PEM private key; its public half is used");
  verify->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  verify->footer(R"(
Without a key the chain is checked and each checkpoint is compared with its
record, but signatures are not checked; the output says what could not be
proven. Removing the newest records after the last checkpoint cannot be
detected from the database alone.

Exit status: 0 the log is intact; 1 tampering found (the message names the
first bad record) or the database cannot be read; 2 usage error, no audit
log, or an unreadable key.)");

  auto* export_cmd = cmd->add_subcommand(
      "export", "Write records as JSON Lines for external archiving");
  auto* since = export_cmd->add_option(
      "--since", args->since,
      "Only records at or after this UTC time (YYYY-MM-DD or "
      "YYYY-MM-DDTHH:MM:SSZ)");
  export_cmd
      ->add_option("--since-seq", args->since_seq,
                   "Only records with seq N or later")
      ->check(CLI::PositiveNumber)
      ->excludes(since);
  export_cmd->add_option("--out", args->out,
                         "Write to FILE (atomically) instead of stdout");
  export_cmd->footer(R"(
Each line is one record with its seq, time, actor, action, target, reason,
details (the JSON text as stored), prev_hash and hash: enough to re-check
the chain without Bulwark (docs/AUDIT.md).

Exit status: 0 exported; 1 the database or FILE failed; 2 usage error or no
audit log.)");

  auto* make_key = cmd->add_subcommand(
      "make-key",
      "Create an Ed25519 key pair for signing checkpoints: PATH (private, "
      "mode 0600) and PATH.pub");
  make_key->add_option("PATH", args->key_path, "Where to write the private key")
      ->required();
  make_key->footer(R"(
Refuses to overwrite an existing PATH or PATH.pub.

Exit status: 0 written; 1 writing failed; 2 usage error or a file exists.)");

  // --data may come after the subcommand: `audit verify --data DIR`.
  for (CLI::App* sub : cmd->get_subcommands({})) sub->fallthrough();

  return [=] {
    if (verify->parsed()) return Verify(*args);
    if (export_cmd->parsed()) return Export(*args);
    if (make_key->parsed()) return MakeKey(*args);
    return kExitUsage;
  };
}

}  // namespace bulwark::cli
