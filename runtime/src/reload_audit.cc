// policy_reload events (detail/reload_audit.h).
#include <weftkit/detail/reload_audit.h>

#include <openssl/evp.h>

#include <fstream>
#include <iterator>
#include <memory>

namespace weftkit::detail {
namespace {

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) return "unreadable";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

}  // namespace

bool wants_reload_events(const PolicyStore& store) {
  std::shared_ptr<audit::AuditSink> sink = store.audit_sink();
  return sink && sink->wants(audit::EventKind::kPolicyReload);
}

std::vector<std::string> sha256_of_files(const std::vector<std::string>& paths) {
  std::vector<std::string> hashes;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      hashes.push_back("unreadable");
      continue;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    hashes.push_back(in.bad() ? "unreadable" : sha256_hex(bytes));
  }
  return hashes;
}

void report_reload(const PolicyStore& store, uint64_t old_generation, const std::vector<std::string>& paths,
                   const std::vector<std::string>& sha256, const Status& outcome) {
  std::shared_ptr<audit::AuditSink> sink = store.audit_sink();
  if (!sink || !sink->wants(audit::EventKind::kPolicyReload)) return;
  audit::AuditEvent event;
  event.kind = audit::EventKind::kPolicyReload;
  event.operation = "RELOAD";
  // The files and what they held: "roles.yaml sha256:1f2e..., policies.sql sha256:9a0b...".
  for (size_t i = 0; i < paths.size(); ++i) {
    if (i != 0) event.resource += ", ";
    event.resource += paths[i] + " sha256:" + (i < sha256.size() ? sha256[i] : "unreadable");
  }
  const uint64_t new_generation = store.generation();
  event.policy_generation = new_generation;
  if (outcome.is_ok()) {
    event.result = "accepted";
    event.reason = "generation " + std::to_string(old_generation) + " replaced by " + std::to_string(new_generation);
  } else {
    event.result = "rejected";
    // The old generation is still serving: it is policy_generation.
    const std::string& message = outcome.message();
    event.reason = message.substr(0, message.find('\n'));
  }
  sink->record(std::move(event));
}

}  // namespace weftkit::detail
