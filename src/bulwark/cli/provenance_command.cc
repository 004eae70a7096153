// `bulwark provenance`: C2PA content credentials. `sign` embeds a signed
// manifest declaring an image AI-generated; `verify` checks one;
// `make-test-ca` creates a throwaway certificate authority to try them with.
#include <CLI/CLI.hpp>

#include <boost/json.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "bulwark/cli/commands.h"
#include "bulwark/core/durable_file.h"
#include "bulwark/core/file.h"
#include "bulwark/provenance/pem_signer.h"
#include "bulwark/provenance/sign_image.h"
#include "bulwark/provenance/test_ca.h"
#include "bulwark/provenance/verify_image.h"

namespace bulwark::cli {
namespace {

struct ProvenanceArgs {
  std::string in, out;
  std::string trust_anchors;
  std::string format = "text";
  std::string cert, key;
  std::string alg = "es256";
  std::string generator = "Bulwark";
  std::string ca_dir;
};

int Fail(const std::string& what, const Error& e) {
  std::cerr << "bulwark provenance " << what << ": " << e.ToString() << '\n';
  // Bad arguments, keys or inputs are the caller's to fix.
  return e.code == ErrorCode::kInternal || e.code == ErrorCode::kIo
             ? kExitSomeFailed
             : kExitUsage;
}

// ReadFile's errors say what went wrong, not with which file.
Error Named(const std::string& path, Error e) {
  e.message = path + ": " + e.message;
  return e;
}

int Sign(const ProvenanceArgs& a) {
  auto alg = provenance::ParseSigningAlgorithm(a.alg);
  if (!alg.ok()) return Fail("sign", alg.error());
  auto signer = provenance::PemSigner::FromFiles(a.cert, a.key, *alg);
  if (!signer.ok()) return Fail("sign", signer.error());
  provenance::SignOptions options;
  options.generator = provenance::ParseGenerator(a.generator);
  auto image = ReadFile(a.in, options.max_image_bytes);
  if (!image.ok()) return Fail("sign", Named(a.in, image.error()));
  auto signed_image = provenance::SignImage(*image, **signer, options);
  if (!signed_image.ok()) {
    Error e = signed_image.error();
    e.message = a.in + ": " + e.message;
    return Fail("sign", e);
  }
  Status s = WriteFileDurably(
      a.out,
      std::string_view(reinterpret_cast<const char*>(signed_image->data()),
                       signed_image->size()));
  if (!s.ok()) return Fail("sign", s.error());
  std::cerr << "signed " << a.in << " -> " << a.out << " ("
            << signed_image->size() - image->size()
            << " bytes of manifest and XMP added)\n";
  return kExitOk;
}

int MakeTestCa(const ProvenanceArgs& a) {
  auto alg = provenance::ParseSigningAlgorithm(a.alg);
  if (!alg.ok()) return Fail("make-test-ca", alg.error());
  auto ca = provenance::MakeTestCa(*alg);
  if (!ca.ok()) return Fail("make-test-ca", ca.error());
  Status s = provenance::WriteTestCa(*ca, a.ca_dir);
  if (!s.ok()) return Fail("make-test-ca", s.error());
  std::cout << "wrote " << a.ca_dir << "/root.pem (trust anchor), " << a.ca_dir
            << "/chain.pem (signing certificate) and " << a.ca_dir
            << "/leaf.key (mode 0600)\n"
            << "FOR TESTING ONLY: verifiers trust it only when given "
               "root.pem as an anchor.\n";
  return kExitOk;
}

int Verify(const ProvenanceArgs& args) {
  provenance::VerifyOptions options;
  auto image = ReadFile(args.in, 256ull << 20);
  if (!image.ok()) return Fail("verify", Named(args.in, image.error()));
  if (!args.trust_anchors.empty()) {
    auto pem = ReadFile(args.trust_anchors, 16 << 20);
    if (!pem.ok())
      return Fail("verify", Named(args.trust_anchors, pem.error()));
    options.trust_anchor_pems.emplace_back(pem->begin(), pem->end());
  }
  auto report = provenance::VerifyImage(*image, options);
  if (!report.ok()) return Fail("verify", report.error());
  const provenance::VerifyReport& r = *report;
  if (args.format == "json") {
    boost::json::array actions;
    for (const std::string& a : r.actions) actions.emplace_back(a);
    std::cout << boost::json::serialize(boost::json::object{
                     {"state", provenance::VerifyStateName(r.state)},
                     {"failed_check", r.failed_check},
                     {"reason", r.reason},
                     {"claim_generator", r.claim_generator},
                     {"actions", std::move(actions)},
                     {"digital_source_type", r.digital_source_type},
                     {"ai_generated", r.ai_generated},
                     {"signer", r.signer_subject},
                     {"alg", r.alg}})
              << '\n';
  } else {
    std::cout << provenance::VerifyStateName(r.state) << '\n';
    if (!r.failed_check.empty()) {
      std::cout << "  check: " << r.failed_check << '\n';
    }
    if (!r.reason.empty()) std::cout << "  reason: " << r.reason << '\n';
    if (r.state != provenance::VerifyState::kNone) {
      std::cout << "  generator: " << r.claim_generator << '\n' << "  actions:";
      for (const std::string& a : r.actions) std::cout << ' ' << a;
      std::cout << "\n  digital source type: " << r.digital_source_type
                << (r.ai_generated ? " (AI-generated)" : "") << '\n'
                << "  signer: " << r.signer_subject << " (" << r.alg << ")\n";
    }
  }
  return r.state == provenance::VerifyState::kValid ||
                 r.state == provenance::VerifyState::kTrusted
             ? kExitOk
             : kExitFound;
}

}  // namespace

Runner RegisterProvenanceCommand(CLI::App& app) {
  auto args = std::make_shared<ProvenanceArgs>();
  CLI::App* cmd = app.add_subcommand(
      "provenance", "Sign images with C2PA content credentials");
  cmd->require_subcommand(1);
  cmd->footer(R"(
A C2PA manifest records, signed, that an image was generated by a trained
model (IPTC digitalSourceType trainedAlgorithmicMedia) and by which software.
Verifiers trust it when the signing certificate chains to an anchor they hold;
in production that is a certificate from a CA on the C2PA trust list.)");

  auto* sign = cmd->add_subcommand(
      "sign",
      "Embed a signed C2PA manifest (and XMP) declaring IN AI-generated");
  sign->add_option("IN", args->in, "JPEG or PNG image")->required();
  sign->add_option("OUT", args->out, "Where to write the signed image")
      ->required();
  sign->add_option("--cert", args->cert,
                   "PEM certificate chain, signing certificate first")
      ->required();
  sign->add_option("--key", args->key,
                   "PEM private key of the signing certificate (unencrypted)")
      ->required();
  sign->add_option("--alg", args->alg, "es256, ps256 or ed25519")
      ->check(CLI::IsMember({"es256", "ps256", "ed25519"}))
      ->capture_default_str();
  sign->add_option("--generator", args->generator,
                   "NAME or NAME/VERSION of the generating software")
      ->capture_default_str();
  sign->footer(R"(
Images that already carry a C2PA manifest are refused. The manifest adds
about 1.1 KB plus the certificate chain, the XMP label about 0.4 KB; no
thumbnail is embedded.

Exit status: 0 signed; 1 signing or writing failed; 2 usage error, unreadable
or unsupported image, or a key that does not match the certificate.)");

  auto* make_ca = cmd->add_subcommand(
      "make-test-ca",
      "Create a throwaway root and signing certificate in DIR (testing only)");
  make_ca->add_option("DIR", args->ca_dir, "Directory to write into")
      ->required();
  make_ca
      ->add_option("--alg", args->alg,
                   "Key type of the signing certificate: es256, ps256 or "
                   "ed25519")
      ->check(CLI::IsMember({"es256", "ps256", "ed25519"}))
      ->capture_default_str();
  make_ca->footer(R"(
Writes DIR/root.pem (give it to verifiers as a trust anchor), DIR/chain.pem
(the signing certificate, no root) and DIR/leaf.key. Refuses to overwrite
an existing DIR/leaf.key.

Exit status: 0 written; 1 writing failed; 2 usage error or DIR/leaf.key
exists.)");

  auto* verify = cmd->add_subcommand(
      "verify",
      "Check an image's C2PA manifest: structure, hashes, signature "
      "and certificate chain");
  verify->add_option("FILE", args->in, "JPEG or PNG image")->required();
  verify->add_option("--trust-anchors", args->trust_anchors,
                     "PEM file of root certificates to trust (for example "
                     "the C2PA trust list, or make-test-ca's root.pem)");
  verify->add_option("-f,--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  verify->footer(R"(
States: trusted (valid, and the chain ends in one of --trust-anchors), valid
(every check passed, but the signer is not trusted: no anchors given or none
matched), invalid (the first failed check is named with its C2PA status code,
e.g. assertion.dataHash.mismatch when pixels or metadata changed after
signing), none (no C2PA manifest). Also prints the claim's generator,
actions and digital source type.

Exit status: 0 trusted or valid; 3 invalid or no manifest; 1 the file could
not be read; 2 usage error or unreadable trust anchors.)");

  return [=] {
    if (sign->parsed()) return Sign(*args);
    if (make_ca->parsed()) return MakeTestCa(*args);
    if (verify->parsed()) return Verify(*args);
    return kExitUsage;
  };
}

}  // namespace bulwark::cli
