// Acceptance: images signed by Bulwark verify with the reference C2PA
// implementation (c2pa-rs through @contentauth/c2pa-node) and with the
// independent @trustnxt/c2pa-ts, for ES256, PS256 and Ed25519, JPEG and
// PNG; tampered copies do not. Runs tests/node/c2pa_verify.mjs, so it needs
// Node.js and tests/node/node_modules: without them it fails, never skips.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "bulwark/provenance/pem_signer.h"
#include "bulwark/provenance/sign_image.h"
#include "bulwark/provenance/test_ca.h"
#include "bulwark/provenance/verify_image.h"
#include "support/scratch_dir.h"
#include "support/test_paths.h"

namespace bulwark::provenance {
namespace {

namespace json = boost::json;
using Bytes = std::vector<uint8_t>;

constexpr const char* kTrainedAlgorithmicMedia =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
// Two JPEGs (JFIF; Exif + ICC) and two PNGs; one of each carries XMP.
const char* const kImages[] = {"ski-rocket.jpg", "ski-hubble-deep-field.jpg",
                               "ski-coffee.png", "ski-horse-silhouette.png"};

Bytes Image(const std::string& name) {
  return testing::ReadBytes(testing::TestDataDir() + "/pdq/images/" + name);
}

void WriteBytes(const std::string& path, const Bytes& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

// One JSON object per file, keyed by its path.
std::map<std::string, json::object> VerifyWithNode(
    const std::vector<std::string>& files, const std::string& anchors) {
  std::string cmd =
      "node " + std::string(BULWARK_SOURCE_DIR) + "/tests/node/c2pa_verify.mjs";
  if (!anchors.empty()) cmd += " --trust-anchors " + anchors;
  for (const std::string& f : files) cmd += " " + f;
  cmd += " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  EXPECT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while (p != nullptr && (n = fread(buf, 1, sizeof buf, p)) > 0) {
    out.append(buf, n);
  }
  const int status = p != nullptr ? pclose(p) : -1;
  EXPECT_EQ(status, 0) << "node failed (is Node.js installed and "
                          "tests/node/node_modules present?):\n"
                       << out;
  std::map<std::string, json::object> results;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) {
      ADD_FAILURE() << "not JSON: " << line;
      continue;
    }
    results[std::string(v.at("file").as_string())] = v.as_object();
  }
  EXPECT_EQ(results.size(), files.size()) << out;
  return results;
}

std::vector<std::string> Strings(const json::value& array) {
  std::vector<std::string> out;
  for (const auto& v : array.as_array()) out.emplace_back(v.as_string());
  return out;
}

class SignVerifyNode : public ::testing::TestWithParam<SigningAlgorithm> {};

TEST_P(SignVerifyNode, ReferenceImplementationsAcceptTheSignedImages) {
  const SigningAlgorithm alg = GetParam();
  testing::ScratchDir dir;
  auto ca = MakeTestCa(alg);
  ASSERT_TRUE(ca.ok()) << ca.error().ToString();
  dir.Write("root.pem", ca->root_pem);
  auto signer = PemSigner::FromPem(ca->chain_pem, ca->leaf_key_pem, alg);
  ASSERT_TRUE(signer.ok()) << signer.error().ToString();
  SignOptions options;
  options.generator = {"Bulwark test generator", "1.2.3"};

  std::vector<std::string> files;
  for (const char* name : kImages) {
    const Bytes original = Image(name);
    auto signed_image = SignImage(original, **signer, options);
    ASSERT_TRUE(signed_image.ok())
        << name << ": " << signed_image.error().ToString();
    // Manifest overhead: a one-certificate ES256 manifest plus the XMP
    // label stays within 4 KB (c2pa-rs's default adds about 13 KB).
    if (alg == SigningAlgorithm::kEs256) {
      EXPECT_LE(signed_image->size() - original.size(), 4096u) << name;
    }
    files.push_back(dir / (std::string("signed-") + name));
    WriteBytes(files.back(), *signed_image);
  }

  auto results = VerifyWithNode(files, dir / "root.pem");
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    ASSERT_TRUE(results.count(f));
    const json::object& r = results[f];
    // c2pa-rs without trust settings: valid, and untrusted is the only
    // complaint (no anchor was given).
    const json::object& plain = r.at("c2pa_node").as_object();
    EXPECT_EQ(plain.at("state").as_string(), "Valid") << json::serialize(r);
    EXPECT_EQ(Strings(plain.at("failures")),
              std::vector<std::string>{"signingCredential.untrusted"})
        << json::serialize(r);
    EXPECT_EQ(Strings(plain.at("actions")),
              std::vector<std::string>{"c2pa.created"});
    EXPECT_EQ(Strings(plain.at("digital_source_types")),
              std::vector<std::string>{kTrainedAlgorithmicMedia});
    EXPECT_EQ(plain.at("generator").as_string(), "Bulwark test generator");
    // With our root as a user anchor: trusted, no failure at all.
    const json::object& trusted = r.at("c2pa_node_trusted").as_object();
    EXPECT_EQ(trusted.at("state").as_string(), "Trusted") << json::serialize(r);
    EXPECT_TRUE(trusted.at("failures").as_array().empty())
        << json::serialize(r);
    // c2pa-ts reads and validates the structure without error.
    const json::object& ts = r.at("c2pa_ts").as_object();
    EXPECT_TRUE(ts.at("ok").as_bool()) << json::serialize(r);
    EXPECT_TRUE(ts.at("errors").as_array().empty()) << json::serialize(r);
  }
}

INSTANTIATE_TEST_SUITE_P(All, SignVerifyNode,
                         ::testing::Values(SigningAlgorithm::kEs256,
                                           SigningAlgorithm::kPs256,
                                           SigningAlgorithm::kEd25519),
                         [](const auto& info) {
                           return std::string(SigningAlgorithmName(info.param));
                         });

// A signer whose chain carries a large second certificate, so that the
// manifest store outgrows one APP11 segment (64 KB).
class PaddedChainSigner : public Signer {
 public:
  explicit PaddedChainSigner(std::unique_ptr<PemSigner> inner)
      : inner_(std::move(inner)), chain_(inner_->certificate_chain_der()) {
    chain_.push_back(Bytes(150000, 0x30));
  }
  Result<Bytes> Sign(std::span<const uint8_t> tbs) const override {
    return inner_->Sign(tbs);
  }
  SigningAlgorithm alg() const override { return inner_->alg(); }
  const std::vector<Bytes>& certificate_chain_der() const override {
    return chain_;
  }

 private:
  std::unique_ptr<PemSigner> inner_;
  std::vector<Bytes> chain_;
};

// The reference reassembles a store split over three APP11 segments and
// finds it valid. (Without trust anchors c2pa-rs checks the signature with
// the leaf certificate only; the filler after it is not parsed.)
TEST(SignVerifyNodeSegments, StoreSplitOverSeveralApp11SegmentsIsReadBack) {
  testing::ScratchDir dir;
  auto ca = MakeTestCa(SigningAlgorithm::kEs256);
  ASSERT_TRUE(ca.ok());
  auto pem = PemSigner::FromPem(ca->chain_pem, ca->leaf_key_pem,
                                SigningAlgorithm::kEs256);
  ASSERT_TRUE(pem.ok());
  const PaddedChainSigner signer(std::move(*pem));
  const Bytes original = Image("ski-rocket.jpg");
  auto signed_jpeg = SignImage(original, signer, SignOptions{});
  ASSERT_TRUE(signed_jpeg.ok()) << signed_jpeg.error().ToString();
  ASSERT_GT(signed_jpeg->size(), original.size() + 2 * 65535);
  const std::string file = dir / "segments.jpg";
  WriteBytes(file, *signed_jpeg);
  auto results = VerifyWithNode({file}, "");
  ASSERT_TRUE(results.count(file));
  const json::object& r = results[file];
  const json::object& plain = r.at("c2pa_node").as_object();
  EXPECT_EQ(plain.at("state").as_string(), "Valid") << json::serialize(r);
  const auto successes = Strings(plain.at("successes"));
  EXPECT_NE(
      std::find(successes.begin(), successes.end(), "assertion.dataHash.match"),
      successes.end())
      << json::serialize(r);
  EXPECT_EQ(Strings(plain.at("actions")),
            std::vector<std::string>{"c2pa.created"});
  // c2pa-ts reads the whole store too; it parses every certificate of the
  // chain and rejects the filler, and that is its only complaint.
  EXPECT_EQ(Strings(r.at("c2pa_ts").at("errors")),
            std::vector<std::string>{"signingCredential.invalid"})
      << json::serialize(r);
  std::cout << "3-segment store: c2pa-node " << plain.at("state").as_string()
            << ", failures " << json::serialize(plain.at("failures"))
            << "; c2pa-ts " << json::serialize(r.at("c2pa_ts")) << '\n';
}

size_t Find(const Bytes& b, std::string_view needle, size_t from = 0) {
  auto it = std::search(b.begin() + static_cast<std::ptrdiff_t>(from), b.end(),
                        needle.begin(), needle.end());
  return it == b.end() ? std::string::npos
                       : static_cast<size_t>(it - b.begin());
}

Bytes Inserted(const Bytes& b, size_t at, const Bytes& extra) {
  Bytes out(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(at));
  out.insert(out.end(), extra.begin(), extra.end());
  out.insert(out.end(), b.begin() + static_cast<std::ptrdiff_t>(at), b.end());
  return out;
}

// Each tampered copy must not verify, in c2pa-rs, c2pa-ts or Bulwark's own
// verifier; the codes c2pa-rs gives are printed so a failure shows what it
// saw.
TEST(SignVerifyNodeTamper, ChangedPixelsAssertionsOrMetadataAreInvalid) {
  testing::ScratchDir dir;
  auto ca = MakeTestCa(SigningAlgorithm::kEs256);
  ASSERT_TRUE(ca.ok());
  dir.Write("root.pem", ca->root_pem);
  auto signer = PemSigner::FromPem(ca->chain_pem, ca->leaf_key_pem,
                                   SigningAlgorithm::kEs256);
  ASSERT_TRUE(signer.ok());
  auto jpeg = SignImage(Image("ski-rocket.jpg"), **signer, SignOptions{});
  auto png = SignImage(Image("ski-coffee.png"), **signer, SignOptions{});
  ASSERT_TRUE(jpeg.ok() && png.ok());

  std::map<std::string, Bytes> tampered;
  // One byte of entropy-coded data (JPEG) / compressed pixels (PNG).
  Bytes j = *jpeg;
  j[j.size() - 100] ^= 0x01;
  tampered["jpeg-pixel"] = j;
  Bytes p = *png;
  const size_t idat = Find(p, "IDAT");
  ASSERT_NE(idat, std::string::npos);
  p[idat + 4 + 50] ^= 0x01;
  tampered["png-pixel"] = p;
  // One byte inside the actions assertion: "c2pa.created" -> "c2pa.creates".
  for (auto [name, image] :
       {std::pair{"jpeg-assertion", *jpeg}, std::pair{"png-assertion", *png}}) {
    const size_t at = Find(image, "c2pa.created");
    ASSERT_NE(at, std::string::npos);
    image[at + 11] = 's';
    tampered[name] = image;
  }
  // Metadata added after signing: an APP1 segment right after SOI; a tEXt
  // chunk before IEND.
  const Bytes app1 = {0xff, 0xe1, 0x00, 0x08, 'n', 'o', 't', 'e', '!', 0};
  tampered["jpeg-metadata"] = Inserted(*jpeg, 2, app1);
  Bytes text_chunk = {0, 0, 0, 5, 't', 'E', 'X', 't', 'a', 0, 'b', 'c', 'd'};
  const uint32_t crc = crc32_z(0, text_chunk.data() + 4, 9);
  for (int shift = 24; shift >= 0; shift -= 8) {
    text_chunk.push_back(static_cast<uint8_t>(crc >> shift));
  }
  tampered["png-metadata"] = Inserted(*png, png->size() - 12, text_chunk);

  std::vector<std::string> files;
  for (const auto& [name, bytes] : tampered) {
    files.push_back(dir /
                    (name + (name.starts_with("jpeg") ? ".jpg" : ".png")));
    WriteBytes(files.back(), bytes);
  }
  auto results = VerifyWithNode(files, dir / "root.pem");
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    ASSERT_TRUE(results.count(f));
    const json::object& r = results[f];
    for (const char* reader : {"c2pa_node", "c2pa_node_trusted"}) {
      const json::object& o = r.at(reader).as_object();
      EXPECT_NE(o.at("state").as_string(), "Valid") << json::serialize(r);
      EXPECT_NE(o.at("state").as_string(), "Trusted") << json::serialize(r);
    }
    EXPECT_FALSE(r.at("c2pa_ts").at("ok").as_bool()) << json::serialize(r);
    // c2pa-rs names the broken binding: the asset hash for changed pixels
    // or added metadata, the assertion's hashed URI for a changed assertion.
    const std::string expected = f.find("assertion") != std::string::npos
                                     ? "assertion.hashedURI.mismatch"
                                     : "assertion.dataHash.mismatch";
    const auto failures = Strings(r.at("c2pa_node").at("failures"));
    EXPECT_NE(std::find(failures.begin(), failures.end(), expected),
              failures.end())
        << json::serialize(r);
    // Bulwark's own verifier says invalid too, and names the same check.
    VerifyOptions trust;
    trust.trust_anchor_pems.push_back(ca->root_pem);
    auto own =
        VerifyImage(tampered.at(f.substr(f.rfind('/') + 1,
                                         f.rfind('.') - f.rfind('/') - 1)),
                    trust);
    ASSERT_TRUE(own.ok()) << own.error().ToString();
    EXPECT_EQ(own->state, VerifyState::kInvalid) << own->reason;
    EXPECT_EQ(own->failed_check, expected) << own->reason;
    std::cout << f.substr(f.rfind('/') + 1) << ": c2pa-node "
              << json::serialize(r.at("c2pa_node").at("failures"))
              << ", c2pa-ts " << json::serialize(r.at("c2pa_ts").at("errors"))
              << '\n';
  }
}

}  // namespace
}  // namespace bulwark::provenance
