#include "bulwark/audit/checkpoint.h"

#include "bulwark/audit/record.h"
#include "bulwark/core/hex.h"

namespace bulwark::audit {

std::string SignedMessage(const Checkpoint& c) {
  std::string out;
  AppendField(out, "bulwark.audit.checkpoint.v1");
  AppendU64(out, static_cast<uint64_t>(c.seq));
  AppendField(out, c.record_hash);
  AppendU64(out, static_cast<uint64_t>(c.time_ms));
  AppendField(out, c.key_id);
  return out;
}

Result<Checkpoint> SignCheckpoint(const SigningKey& key, int64_t seq,
                                  const std::string& record_hash,
                                  int64_t time_ms) {
  Checkpoint c;
  c.seq = seq;
  c.record_hash = record_hash;
  c.time_ms = time_ms;
  c.key_id = key.key_id();
  auto sig = key.Sign(SignedMessage(c));
  if (!sig.ok()) return sig.error();
  c.signature =
      HexEncode({reinterpret_cast<const uint8_t*>(sig->data()), sig->size()});
  return c;
}

bool CheckSignature(const PublicKey& key, const Checkpoint& c) {
  auto sig = HexDecode(c.signature);
  if (!sig.ok()) return false;
  return key.Verify(SignedMessage(c),
                    {reinterpret_cast<const char*>(sig->data()), sig->size()});
}

}  // namespace bulwark::audit
