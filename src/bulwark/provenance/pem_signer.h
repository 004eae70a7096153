// A Signer backed by a private key and a certificate chain in PEM files,
// through OpenSSL 3.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "bulwark/provenance/signer.h"

namespace bulwark::provenance {

class PemSigner : public Signer {
 public:
  // `chain_pem`: one or more certificates, the signing certificate first
  // (a trailing root is dropped: verifiers bring their own). `key_pem`: the
  // unencrypted private key of the first certificate (PKCS#8, SEC1 or
  // PKCS#1). The key must suit `alg` (P-256 for ES256, RSA of at least 2048
  // bits for PS256, Ed25519) and match the certificate; kInvalidArgument
  // names the mismatch otherwise.
  static Result<std::unique_ptr<PemSigner>> FromPem(std::string_view chain_pem,
                                                    std::string_view key_pem,
                                                    SigningAlgorithm alg);
  // Reads both files (each at most 1 MiB) and calls FromPem.
  static Result<std::unique_ptr<PemSigner>> FromFiles(
      const std::string& chain_path, const std::string& key_path,
      SigningAlgorithm alg);

  ~PemSigner() override;

  Result<std::vector<uint8_t>> Sign(
      std::span<const uint8_t> to_be_signed) const override;
  SigningAlgorithm alg() const override { return alg_; }
  const std::vector<std::vector<uint8_t>>& certificate_chain_der()
      const override {
    return chain_;
  }

 private:
  struct Key;
  PemSigner(SigningAlgorithm alg, std::unique_ptr<Key> key,
            std::vector<std::vector<uint8_t>> chain);

  SigningAlgorithm alg_;
  std::unique_ptr<Key> key_;
  std::vector<std::vector<uint8_t>> chain_;
};

}  // namespace bulwark::provenance
