#include "support/c2pa_reference.h"

#include <stdio.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <fstream>

#include "support/test_paths.h"

namespace bulwark::testing {
namespace {

namespace json = boost::json;

struct Command {
  int status = -1;
  std::string output;  // stdout and stderr
};

Command Run(const std::string& cmd) {
  Command result;
  FILE* p = popen(("(" + cmd + ") 2>&1").c_str(), "r");
  if (!p) return result;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) result.output.append(buf, n);
  const int status = pclose(p);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// Single-quoted for /bin/sh.
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out.append("'\\''");
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

std::string Script() {
  return Quote(TestDataDir() + "/../node/c2pa_sign_fixture.mjs");
}

constexpr const char* kExtensions = R"([leaf]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=emailProtection
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
)";

}  // namespace

::testing::AssertionResult MakeTestCa(const std::string& dir, TestKeyType type,
                                      TestCa* ca) {
  ca->root = dir + "/root.pem";
  ca->chain = dir + "/chain.pem";
  ca->key = dir + "/leaf.key";
  std::ofstream(dir + "/leaf.cnf") << kExtensions;
  const std::string leaf_key =
      type == TestKeyType::kRsa2048
          ? "-algorithm RSA -pkeyopt rsa_keygen_bits:2048"
      : type == TestKeyType::kEd25519
          ? "-algorithm ED25519"
          : "-algorithm EC -pkeyopt ec_paramgen_curve:P-256";
  const std::string d = Quote(dir);
  const std::string cmd =
      "set -e; cd " + d +
      "; openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
      "-out root.key"
      "; openssl req -x509 -new -key root.key -subj '/CN=Bulwark Test Root' "
      "-days 30 -sha256 -addext 'basicConstraints=critical,CA:TRUE' "
      "-addext 'keyUsage=critical,keyCertSign,cRLSign' -out root.pem"
      "; openssl genpkey " +
      leaf_key +
      " -out leaf.key"
      "; openssl req -new -key leaf.key "
      "-subj '/CN=Bulwark Test Signer/O=Bulwark tests' -out leaf.csr"
      "; openssl x509 -req -in leaf.csr -CA root.pem -CAkey root.key "
      "-set_serial 2 -days 30 -sha256 -extfile leaf.cnf -extensions leaf "
      "-out chain.pem";
  const Command run = Run(cmd);
  if (run.status != 0) {
    return ::testing::AssertionFailure()
           << "making the test CA with openssl failed:\n"
           << run.output;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult SignWithReference(const TestCa& ca,
                                             const std::string& in,
                                             const std::string& out,
                                             const std::string& alg,
                                             size_t filler_bytes) {
  const Command run =
      Run("node " + Script() + " sign " + Quote(in) + " " + Quote(out) + " " +
          Quote(ca.chain) + " " + Quote(ca.key) + " " + alg + " " +
          std::to_string(filler_bytes));
  if (run.status != 0) {
    return ::testing::AssertionFailure()
           << "signing with c2pa-node failed (is node installed and "
              "tests/node/node_modules present?):\n"
           << run.output;
  }
  return ::testing::AssertionSuccess();
}

ReferenceVerdict ReadWithReference(const std::string& file,
                                   const std::string& anchors_pem) {
  ReferenceVerdict verdict;
  std::string cmd = "node " + Script() + " read " + Quote(file);
  if (!anchors_pem.empty()) {
    cmd += ' ';
    cmd += Quote(anchors_pem);
  }
  const Command run = Run(cmd);
  verdict.output = run.output;
  if (run.status != 0) return verdict;
  boost::system::error_code ec;
  const json::value parsed = json::parse(run.output, ec);
  if (ec || !parsed.is_object()) return verdict;
  const json::object& o = parsed.as_object();
  if (const json::value* state = o.if_contains("state");
      state && state->is_string()) {
    verdict.state = std::string(state->as_string());
  }
  if (const json::value* failures = o.if_contains("failures");
      failures && failures->is_array()) {
    for (const json::value& f : failures->as_array()) {
      if (f.is_string()) verdict.failures.emplace_back(f.as_string());
    }
  }
  return verdict;
}

}  // namespace bulwark::testing
