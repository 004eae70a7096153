// A signed checkpoint: the signer's statement "record SEQ had hash H at
// time T". The hash chain alone proves only that the records agree with
// each other; whoever can write the database can rewrite a record and every
// record after it consistently. A checkpoint pins the chain to a key the
// database writer does not hold (or at least did not hold at the time), so
// such a rewrite no longer matches what was signed.
//
// The signed message is, with field/u64be as in record.h:
//
//   field("bulwark.audit.checkpoint.v1") u64be(seq) field(record_hash)
//   i64be(time_ms) field(key_id)
//
// and the signature is Ed25519 over exactly those bytes, stored as hex.
#pragma once

#include <cstdint>
#include <string>

#include "bulwark/audit/signing_key.h"
#include "bulwark/core/result.h"

namespace bulwark::audit {

struct Checkpoint {
  int64_t seq = 0;
  std::string record_hash;  // hex, the hash of record `seq`
  int64_t time_ms = 0;
  std::string key_id;     // which key signed (signing_key.h)
  std::string signature;  // hex Ed25519 signature
};

// The bytes the signature covers.
std::string SignedMessage(const Checkpoint& c);

// A checkpoint of record `seq` with hash `record_hash`, signed by `key`.
Result<Checkpoint> SignCheckpoint(const SigningKey& key, int64_t seq,
                                  const std::string& record_hash,
                                  int64_t time_ms);

// Whether `c.signature` is `key`'s signature of SignedMessage(c).
bool CheckSignature(const PublicKey& key, const Checkpoint& c);

}  // namespace bulwark::audit
