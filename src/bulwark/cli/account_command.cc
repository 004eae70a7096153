// `bulwark account show|ban|lift ACCOUNT`: an account's strikes and
// restrictions, and a person's ban or lift with the reason recorded.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "bulwark/audit/audit_log.h"
#include "bulwark/cli/cli_actor.h"
#include "bulwark/cli/commands.h"
#include "bulwark/cli/data_dir.h"
#include "bulwark/cli/text_safeguard.h"
#include "bulwark/core/clock.h"
#include "bulwark/enforce/conduct_store.h"
#include "bulwark/service/accountability.h"

namespace bulwark::cli {
namespace {

struct AccountArgs {
  DataDirArgs data;
  std::string policy;
  std::string account;
  std::string reason;
  std::string format = "text";
};

int Fail(const Error& e) {
  std::cerr << "bulwark account: " << e.ToString() << '\n';
  return e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kNotFound
             ? kExitUsage
             : kExitSomeFailed;
}

void PrintText(const enforce::AccountState& st) {
  std::cout << "account " << st.account << ": "
            << enforce::AccountStatusName(st.status);
  if (st.until_ms > 0) std::cout << " until " << FormatUtcMs(st.until_ms);
  if (st.per_minute > 0) std::cout << " (" << st.per_minute << " per minute)";
  std::cout << ", " << st.points << " points\n";
  if (!st.reason.empty()) std::cout << "  why: " << st.reason << '\n';
  for (const enforce::Strike& s : st.strikes) {
    std::cout << "  strike " << s.id << ": " << FormatUtcMs(s.time_ms) << ' '
              << s.verdict << ' ' << s.categories << ", " << s.points
              << " points, counts until " << FormatUtcMs(s.expires_ms);
    if (s.incident_id > 0) std::cout << ", incident " << s.incident_id;
    std::cout << '\n';
  }
  for (const enforce::EnforcementAction& a : st.history) {
    std::cout << "  " << FormatUtcMs(a.time_ms) << ' ' << a.action;
    if (a.until_ms > 0) std::cout << " until " << FormatUtcMs(a.until_ms);
    std::cout << " by " << a.actor << ": " << a.reason << '\n';
  }
}

int Run(const AccountArgs& a, const std::string& verb) {
  auto policy = LoadPolicy(a.policy);
  if (!policy.ok()) return Fail(policy.error());
  SystemClock clock;
  auto store = enforce::ConductStore::Open(ResolveDataDir(a.data),
                                           policy->conduct(), clock);
  if (!store.ok()) return Fail(store.error());
  if (verb == "ban" || verb == "lift") {
    // Opened first: an action that could not be audited is not taken.
    audit::AuditLogOptions audit_options;
    audit_options.data_dir = ResolveDataDir(a.data);
    auto log = audit::AuditLog::Open(audit_options, clock);
    if (!log.ok()) return Fail(log.error());
    auto done = verb == "ban" ? (*store)->Ban(a.account, CliActor(), a.reason)
                              : (*store)->Lift(a.account, CliActor(), a.reason);
    if (!done.ok()) return Fail(done.error());
    audit::NewRecord rec;
    rec.actor = CliActor();
    rec.action = "account." + verb;
    rec.target = "account:" + a.account;
    rec.reason = a.reason;
    rec.details = "{}";
    auto appended = (*log)->Append(rec);
    if (!appended.ok()) return Fail(appended.error());
  }
  auto st = (*store)->Show(a.account);
  if (!st.ok()) return Fail(st.error());
  if (a.format == "json") {
    std::cout << boost::json::serialize(service::AccountToJson(*st)) << '\n';
  } else {
    PrintText(*st);
  }
  return kExitOk;
}

}  // namespace

Runner RegisterAccountCommand(CLI::App& app) {
  auto args = std::make_shared<AccountArgs>();
  auto verb = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "account", "Show an account's strikes; ban or lift it");
  cmd->require_subcommand(1);
  cmd->footer(
      R"(Accounts are the platform's own identifiers, sent with each request.
Strikes, thresholds and their actions come from the policy's [conduct]
section (docs/POLICY.md). A running `bulwark serve` on the same data
directory sees a ban or lift within a quarter of a second.

Exit status: 0 done; 1 the store could not be read or written; 2 usage
error, unknown account state (nothing to lift, already banned).)");
  auto add = [&](const char* name, const char* help, bool needs_reason) {
    CLI::App* sub = cmd->add_subcommand(name, help);
    AddDataDirOption(sub, args->data);
    sub->add_option("ACCOUNT", args->account, "The account id")->required();
    sub->add_option("--policy", args->policy,
                    "Policy file (default: the built-in policy)");
    sub->add_option("--format", args->format, "text or json")
        ->check(CLI::IsMember({"text", "json"}));
    if (needs_reason) {
      sub->add_option("--reason", args->reason,
                      "Why (recorded with the action; required)")
          ->required();
    }
    sub->callback([verb, name] { *verb = name; });
  };
  add("show", "Status, live strikes and every action taken", false);
  add("ban", "Ban the account until lifted", true);
  add("lift", "End a suspension or ban and forgive its live strikes", true);
  return [args, verb] { return Run(*args, *verb); };
}

}  // namespace bulwark::cli
