// `bulwark serve`: the safeguard service (docs/API.md). Binds first, then
// loads the index in the background: /healthz answers at once, /readyz and
// the check routes once the banks are loaded.
#include <signal.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <condition_variable>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "bulwark/audit/audit_log.h"
#include "bulwark/cli/commands.h"
#include "bulwark/cli/data_dir.h"
#include "bulwark/cli/image_safeguard.h"
#include "bulwark/cli/provenance_setup.h"
#include "bulwark/cli/text_safeguard.h"
#include "bulwark/core/clock.h"
#include "bulwark/detect/hash_detector.h"
#include "bulwark/detect/provenance_detector.h"
#include "bulwark/enforce/conduct_store.h"
#include "bulwark/enforce/gate.h"
#include "bulwark/incident/evidence.h"
#include "bulwark/incident/store.h"
#include "bulwark/index/matcher.h"
#include "bulwark/policy/policy.h"
#include "bulwark/service/config.h"
#include "bulwark/service/context.h"
#include "bulwark/service/key_store.h"
#include "bulwark/service/server.h"

namespace bulwark::cli {
namespace {

struct ServeArgs {
  DataDirArgs data;
  std::string config;
  std::string listen;
  std::string policy;
  bool insecure_no_auth = false;
  double max_body_mb = 0;
  int workers = -1;
  int64_t header_timeout_ms = -1, body_timeout_ms = -1, idle_timeout_ms = -1;
  int64_t max_queued = -1, max_connections = -1, max_pixels = -1;
  std::vector<std::string> allow_url_hosts;
};

int Fail(const std::string& what, int code = kExitSomeFailed) {
  std::cerr << "bulwark serve: " << what << '\n';
  return code;
}

int Run(const ServeArgs& args) {
  service::ServiceConfig config;
  if (!args.config.empty()) {
    auto loaded = service::LoadConfig(args.config);
    if (!loaded.ok()) return Fail(loaded.error().message, kExitUsage);
    config = std::move(*loaded);
  }
  // Flags win over the file.
  if (!args.listen.empty()) {
    Status s = service::ParseListen(args.listen, config.server);
    if (!s.ok()) return Fail(s.error().message, kExitUsage);
  }
  if (!args.policy.empty()) config.policy_path = args.policy;
  if (!args.data.dir.empty() || config.data_dir.empty()) {
    config.data_dir = ResolveDataDir(args.data);
  }
  if (args.insecure_no_auth) config.insecure_no_auth = true;
  if (args.max_body_mb > 0) {
    config.server.max_body_bytes =
        static_cast<uint64_t>(args.max_body_mb * 1024 * 1024);
  }
  if (args.workers >= 0) config.server.workers = args.workers;
  using std::chrono::milliseconds;
  if (args.header_timeout_ms > 0) {
    config.server.header_timeout = milliseconds(args.header_timeout_ms);
  }
  if (args.body_timeout_ms > 0) {
    config.server.body_timeout = milliseconds(args.body_timeout_ms);
  }
  if (args.idle_timeout_ms > 0) {
    config.server.idle_timeout = milliseconds(args.idle_timeout_ms);
  }
  if (args.max_queued > 0) {
    config.server.max_queued = static_cast<size_t>(args.max_queued);
  }
  if (args.max_connections > 0) {
    config.server.max_connections = static_cast<size_t>(args.max_connections);
  }
  if (args.max_pixels > 0) {
    config.image_limits.max_pixels = static_cast<uint64_t>(args.max_pixels);
  }
  for (const std::string& host : args.allow_url_hosts) {
    config.image_url_allow_hosts.push_back(host);
  }

  DataDirArgs data{config.data_dir};
  // The policy and its text detector (lexicons compiled, or read from the
  // cache) before listening: a bad policy is a usage error, not a service
  // that answers without its rules.
  std::cerr << "bulwark serve: loading the policy's text rules (compiling "
               "the lexicons on the first start takes a while; they are "
               "cached in "
            << TextCacheDir(ResolveDataDir(data)) << ")\n";
  auto safeguard = LoadTextSafeguard(config.policy_path, "",
                                     TextCacheDir(ResolveDataDir(data)));
  if (!safeguard.ok()) return Fail(safeguard.error().message, kExitUsage);
  const policy::Policy* policy = &safeguard->policy;
  media::DecodeOptions decode;
  decode.limits = config.image_limits;
  auto classifier = LoadImageClassifier(*policy, decode);
  if (!classifier.ok()) return Fail(classifier.error().message, kExitUsage);
  auto provenance = LoadProvenance(config);
  if (!provenance.ok()) return Fail(provenance.error().message, kExitUsage);
  const detect::ProvenanceDetector provenance_detector(
      provenance->verify_options);

  auto store = OpenStore(data);
  if (!store.ok()) return Fail(store.error().ToString());

  std::optional<std::string> new_admin_key;
  std::vector<service::ApiKey> keys = config.keys;
  if (!config.insecure_no_auth) {
    auto stored =
        service::LoadOrCreateKeyStore(config.data_dir, &new_admin_key);
    if (!stored.ok()) return Fail(stored.error().message);
    keys.insert(keys.end(), stored->begin(), stored->end());
  }
  const service::Authenticator auth =
      config.insecure_no_auth ? service::Authenticator::Insecure()
                              : service::Authenticator(std::move(keys));

  // SIGTERM/SIGINT are taken by a thread of ours (sigwait), so they must
  // be blocked before any other thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Conduct, incidents and the audit log, each in its own database in the
  // data directory; all open before listening, so a bad evidence key or an
  // unreadable log stops the start instead of losing records later.
  SystemClock clock;
  const std::string data_dir = ResolveDataDir(data);
  auto conduct =
      enforce::ConductStore::Open(data_dir, policy->conduct(), clock);
  if (!conduct.ok()) return Fail(conduct.error().ToString());
  enforce::Gate gate(conduct->get(), policy->conduct(), clock);
  incident::EvidenceOptions evidence;
  evidence.keep = config.evidence_keep;
  evidence.key_file = config.evidence_key_file;
  evidence.key_env = config.evidence_key_env;
  auto key = incident::LoadEvidenceKey(evidence, data_dir);
  if (!key.ok()) return Fail(key.error().ToString(), kExitUsage);
  incident::StoreOptions incident_options;
  incident_options.retention.reportable_days = config.retention_reportable_days;
  incident_options.retention.other_days = config.retention_other_days;
  if (*key) {
    incident_options.key =
        std::make_shared<const incident::EvidenceKey>(std::move(**key));
  }
  auto incidents =
      incident::IncidentStore::Open(data_dir, incident_options, clock);
  if (!incidents.ok()) return Fail(incidents.error().ToString());
  audit::AuditLogOptions audit_options;
  audit_options.data_dir = data_dir;
  audit_options.signing_key_path = config.audit_signing_key;
  audit_options.checkpoint_every = config.audit_checkpoint_every;
  auto audit_log = audit::AuditLog::Open(audit_options, clock);
  if (!audit_log.ok()) return Fail(audit_log.error().ToString(), kExitUsage);

  service::Metrics metrics;
  service::ServiceContext context;
  context.accountability.conduct = conduct->get();
  context.accountability.gate = &gate;
  context.accountability.incidents = incidents->get();
  context.accountability.audit = audit_log->get();
  context.accountability.keep_evidence = config.evidence_keep;
  context.clock = &clock;
  context.store = store->get();
  context.policy = policy;
  context.signer = provenance->signer.get();
  context.sign_options = provenance->sign_options;
  context.config = &config;
  context.metrics = &metrics;
  service::Server server(config.server, service::MakeRouter(context), auth,
                         metrics);
  Status started = server.Start();
  if (!started.ok()) return Fail(started.error().message);

  if (config.insecure_no_auth) {
    std::cerr << "bulwark serve: WARNING: --insecure-no-auth: every request "
                 "gets every role, admin included. For local experiments "
                 "only.\n";
  }
  std::cerr << "bulwark serve: listening on http://" << config.server.host
            << ':' << server.port() << " (data: " << config.data_dir
            << "; policy: "
            << (config.policy_path.empty() ? "built-in default"
                                           : config.policy_path)
            << ")\n";
  if (new_admin_key) {
    std::cout << "A new admin API key was created. It is shown only this "
                 "once; keep it safe:\n\n  "
              << *new_admin_key << "\n\n"
              << "Try: curl -s -H 'Authorization: Bearer " << *new_admin_key
              << "' -H 'Content-Type: application/json' -d "
                 "'{\"input\":\"hello\"}' http://"
              << config.server.host << ':' << server.port()
              << "/v1/moderations\n"
              << std::flush;
  }

  std::thread stopper([&server, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    std::cerr << "bulwark serve: stopping (finishing requests in flight)\n";
    server.Stop();
  });

  // The index loads while /healthz already answers.
  std::unique_ptr<index::Matcher> matcher;
  std::unique_ptr<detect::HashDetector> hash_detector;
  std::thread loader([&] {
    const auto t0 = std::chrono::steady_clock::now();
    auto m = index::Matcher::Create(**store);
    if (!m.ok()) {
      std::cerr << "bulwark serve: cannot load the banks: "
                << m.error().ToString() << '\n';
      server.Stop();
      return;
    }
    matcher = std::move(*m);
    matcher->StartAutoRefresh(std::chrono::milliseconds(200));
    detect::HashDetectorOptions hash_options =
        detect::HashDetector::DefaultOptions();
    hash_options.request.decode.limits = config.image_limits;
    hash_detector =
        std::make_unique<detect::HashDetector>(*matcher, hash_options);
    context.matcher = matcher.get();
    context.detectors = {hash_detector.get()};
    if (safeguard->detector) {
      context.detectors.push_back(safeguard->detector.get());
    }
    if (*classifier) {
      context.detectors.push_back(classifier->get());
      context.shared_decode = decode;
    }
    context.detectors.push_back(&provenance_detector);
    metrics.SetGauge(
        "bulwark_index_build_seconds",
        "Time to load the banks into the index at start", {},
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count());
    context.ready.store(true);
    std::cerr << "bulwark serve: ready, " << matcher->snapshot()->entry_count()
              << " entries loaded\n";
  });

  // Retention: incidents past it are purged (and the purge audited) at
  // start and every hour while the service runs.
  std::mutex purge_mu;
  std::condition_variable purge_cv;
  bool purge_stop = false;
  std::thread purger([&] {
    std::unique_lock<std::mutex> lock(purge_mu);
    do {
      auto purged =
          service::PurgeExpired(**incidents, **audit_log, "system", clock);
      if (!purged.ok()) {
        std::cerr << "bulwark serve: purging expired incidents failed: "
                  << purged.error().ToString() << '\n';
      } else if (!purged->empty()) {
        std::cerr << "bulwark serve: purged " << purged->size()
                  << " incident(s) past their retention\n";
      }
    } while (!purge_cv.wait_for(lock, std::chrono::hours(1),
                                [&] { return purge_stop; }));
  });

  server.Run();
  {
    std::lock_guard<std::mutex> lock(purge_mu);
    purge_stop = true;
  }
  purge_cv.notify_all();
  purger.join();
  loader.join();
  // Run returned: either a signal (the stopper has finished) or a failed
  // load; wake the stopper in the second case.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return context.ready.load() ? kExitOk : kExitSomeFailed;
}

}  // namespace

Runner RegisterServeCommand(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Run the safeguard service (moderation API, checks, banks)");
  cmd->footer(R"(
Serves HTTP/1.1 on 127.0.0.1:8080 unless told otherwise (--listen
0.0.0.0:8080 to accept other machines). Every /v1 route needs an API key
(Authorization: Bearer KEY): role client for /v1/check, /v1/moderations,
/v1/hash and /v1/match; role admin for /v1/banks. At first start an admin
key is created in DATA/api-keys.json (stored as a SHA-256 digest) and
printed once. /healthz, /readyz, /metrics and /openapi.json need no key.

--config FILE reads a TOML file (see docs/API.md); every setting is also a
flag, and flags override the file. API keys come only from the key store
and the file (digests), never from the command line.
SIGTERM or Ctrl-C stop accepting, finish the requests in flight, and exit 0.

Exit status: 0 stopped cleanly; 1 could not start (address in use, store
or banks unreadable); 2 usage error (bad flag, config or policy file).)");
  AddDataDirOption(cmd, args->data);
  cmd->add_option("--config", args->config, "TOML configuration file");
  cmd->add_option("--listen", args->listen,
                  "HOST:PORT to listen on (default 127.0.0.1:8080)");
  cmd->add_option("--policy", args->policy,
                  "Policy file (default: the built-in policy, "
                  "docs/POLICY.md)");
  cmd->add_flag("--insecure-no-auth", args->insecure_no_auth,
                "No API keys: every request gets every role (local "
                "experiments only)");
  cmd->add_option("--max-body-mb", args->max_body_mb,
                  "Largest request body, MiB (default 20)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--workers", args->workers,
                  "Threads for decoding and hashing (default: one per core)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--header-timeout-ms", args->header_timeout_ms,
                  "Time a client has to send its headers (default 10000)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--body-timeout-ms", args->body_timeout_ms,
                  "Time a client has to send its body (default 30000)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--idle-timeout-ms", args->idle_timeout_ms,
                  "Idle keep-alive connections close after (default 60000)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-queued", args->max_queued,
                  "Requests waiting for a worker before 503 (default 1024)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-connections", args->max_connections,
                  "Open connections at most (default 4096)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-pixels", args->max_pixels,
                  "Largest image to decode, width*height (default 64000000)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--allow-url-host", args->allow_url_hosts,
                  "A host remote image URLs may be fetched from (repeatable; "
                  "default: none, only data: URIs)")
      ->allow_extra_args(false);
  return [args] { return Run(*args); };
}

}  // namespace bulwark::cli
