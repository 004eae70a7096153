// `bulwark bank`: create, inspect and maintain hash banks in the data
// directory.
#include <CLI/CLI.hpp>

#include <ctime>
#include <iostream>
#include <map>
#include <memory>

#include "bulwark/bank/store.h"
#include "bulwark/cli/bank_transfer.h"
#include "bulwark/cli/commands.h"
#include "bulwark/cli/data_dir.h"

namespace bulwark::cli {
namespace {

struct BankArgs {
  DataDirArgs data;
  std::string name;
  std::string category = "test";
  std::string description;
  int threshold = 31;
  std::string signal_type, value, label, reason;
  int64_t entry_id = 0;
  bool yes = false;
  BankTransferArgs transfer;
};

int Fail(const Error& e) {
  std::cerr << "bulwark bank: " << e.ToString() << '\n';
  return e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kNotFound
             ? kExitUsage
             : kExitSomeFailed;
}

std::string FormatTime(bank::UnixSeconds t) {
  char buf[32];
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm;
  gmtime_r(&tt, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int Create(bank::Store& store, const BankArgs& a) {
  bank::BankInfo info;
  info.name = a.name;
  info.category = a.category;
  info.description = a.description;
  info.threshold = a.threshold;
  auto created = store.CreateBank(info);
  if (!created.ok()) return Fail(created.error());
  std::cout << "created bank " << created->name << " (id " << created->id
            << ", category " << created->category << ", pdq threshold "
            << created->threshold << ")\n";
  return kExitOk;
}

int List(bank::Store& store) {
  auto banks = store.ListBanks();
  if (!banks.ok()) return Fail(banks.error());
  std::cout << "name\tcategory\tenabled\tthreshold\tdescription\n";
  for (const bank::BankInfo& b : *banks) {
    std::cout << b.name << '\t' << b.category << '\t'
              << (b.enabled ? "yes" : "no") << '\t' << b.threshold << '\t'
              << b.description << '\n';
  }
  return kExitOk;
}

int Show(bank::Store& store, const BankArgs& a) {
  auto b = store.GetBank(a.name);
  if (!b.ok()) return Fail(b.error());
  int64_t active = 0, disabled = 0;
  std::map<std::string, int64_t> by_type;
  Status s = store.ForEachEntry(b->id, [&](const bank::Entry& e) {
    if (e.disabled) {
      ++disabled;
    } else {
      ++active;
      ++by_type[hash::SignalTypeName(e.signal.type())];
    }
  });
  if (!s.ok()) return Fail(s.error());
  std::cout << "name:        " << b->name << "\nid:          " << b->id
            << "\ncategory:    " << b->category
            << "\ndescription: " << b->description
            << "\nenabled:     " << (b->enabled ? "yes" : "no")
            << "\nthreshold:   " << b->threshold << " (PDQ Hamming distance)"
            << "\ncreated:     " << FormatTime(b->created_at)
            << "\nupdated:     " << FormatTime(b->updated_at)
            << "\nentries:     " << active << " active, " << disabled
            << " disabled\n";
  for (const auto& [type, n] : by_type) {
    std::cout << "  " << type << ": " << n << '\n';
  }
  return kExitOk;
}

int Add(bank::Store& store, const BankArgs& a) {
  auto b = store.GetBank(a.name);
  if (!b.ok()) return Fail(b.error());
  auto type = hash::ParseSignalType(a.signal_type);
  if (!type.ok()) return Fail(type.error());
  auto signal = hash::Signal::Parse(*type, a.value);
  if (!signal.ok()) return Fail(signal.error());
  bank::NewEntry e;
  e.signal = *signal;
  e.label = a.label;
  auto stats = store.AddEntries(b->id, {e});
  if (!stats.ok()) return Fail(stats.error());
  std::cout << (stats->added ? "added " : "already present: ")
            << signal->ToTyped() << " to " << b->name << '\n';
  return kExitOk;
}

int SetEntryEnabled(bank::Store& store, const BankArgs& a, bool enable) {
  auto b = store.GetBank(a.name);
  if (!b.ok()) return Fail(b.error());
  auto e = store.GetEntry(a.entry_id);
  if (!e.ok()) return Fail(e.error());
  if (e->bank_id != b->id) {
    return Fail(MakeError(
        ErrorCode::kNotFound,
        "entry " + std::to_string(a.entry_id) + " is not in bank " + a.name));
  }
  Status s = enable ? store.EnableEntry(a.entry_id)
                    : store.DisableEntry(a.entry_id, a.reason);
  if (!s.ok()) return Fail(s.error());
  std::cout << (enable ? "enabled" : "disabled") << " entry " << a.entry_id
            << " in " << a.name << '\n';
  return kExitOk;
}

int Delete(bank::Store& store, const BankArgs& a) {
  if (!a.yes) {
    std::cerr << "bulwark bank delete: this removes bank " << a.name
              << " and every entry in it, tombstones included; run again "
                 "with --yes to confirm\n";
    return kExitUsage;
  }
  Status s = store.DeleteBank(a.name);
  if (!s.ok()) return Fail(s.error());
  std::cout << "deleted bank " << a.name << '\n';
  return kExitOk;
}

}  // namespace

Runner RegisterBankCommand(CLI::App& app) {
  auto args = std::make_shared<BankArgs>();
  CLI::App* cmd = app.add_subcommand(
      "bank", "Create, inspect and maintain banks of known-content hashes");
  cmd->require_subcommand(1);
  AddDataDirOption(cmd, args->data);
  cmd->footer(R"(
Exit status: 0 done; 1 the store failed; 2 usage error, unknown bank or
entry, or a bad hash value.)");

  auto* create = cmd->add_subcommand("create", "Create a bank");
  create->add_option("NAME", args->name, "Bank name: letters, digits, . _ -")
      ->required();
  create
      ->add_option("--category", args->category,
                   "Category label, e.g. csam, ncii, test")
      ->capture_default_str();
  create->add_option("--description", args->description, "Free text");
  create
      ->add_option("--threshold", args->threshold,
                   "PDQ match radius for this bank (Hamming distance)")
      ->check(CLI::Range(0, 128))
      ->capture_default_str();

  auto* list = cmd->add_subcommand("list", "List banks");
  auto* show = cmd->add_subcommand("show", "Show a bank and its entry counts");
  show->add_option("NAME", args->name, "Bank name")->required();

  auto* add = cmd->add_subcommand("add", "Add one hash to a bank");
  add->add_option("NAME", args->name, "Bank name")->required();
  add->add_option("SIGNAL_TYPE", args->signal_type, "md5, sha1, sha256 or pdq")
      ->required();
  add->add_option("VALUE", args->value, "The hash, in hex")->required();
  add->add_option("--label", args->label, "Classification label");

  auto* disable = cmd->add_subcommand(
      "disable", "Disable (tombstone) an entry; it stays recorded");
  disable->add_option("NAME", args->name, "Bank name")->required();
  disable->add_option("ENTRY_ID", args->entry_id, "Entry id")->required();
  disable->add_option("--reason", args->reason, "Why (kept with the entry)")
      ->required();

  auto* enable = cmd->add_subcommand("enable", "Re-enable a disabled entry");
  enable->add_option("NAME", args->name, "Bank name")->required();
  enable->add_option("ENTRY_ID", args->entry_id, "Entry id")->required();

  auto* del =
      cmd->add_subcommand("delete", "Delete a bank and all its entries");
  del->add_option("NAME", args->name, "Bank name")->required();
  del->add_flag("--yes", args->yes, "Confirm");

  auto* import = AddImportCommand(cmd, args->name, args->transfer);
  auto* export_cmd = AddExportCommand(cmd, args->name, args->transfer);
  // --data may come after the subcommand: `bank create X --data DIR`.
  for (CLI::App* sub : cmd->get_subcommands({})) sub->fallthrough();

  return [=] {
    auto store = OpenStore(args->data);
    if (!store.ok()) return Fail(store.error());
    bank::Store& s = **store;
    if (create->parsed()) return Create(s, *args);
    if (list->parsed()) return List(s);
    if (show->parsed()) return Show(s, *args);
    if (add->parsed()) return Add(s, *args);
    if (disable->parsed()) return SetEntryEnabled(s, *args, false);
    if (enable->parsed()) return SetEntryEnabled(s, *args, true);
    if (del->parsed()) return Delete(s, *args);
    if (import->parsed()) return RunImport(s, args->name, args->transfer);
    if (export_cmd->parsed()) return RunExport(s, args->name, args->transfer);
    return kExitUsage;
  };
}

}  // namespace bulwark::cli
