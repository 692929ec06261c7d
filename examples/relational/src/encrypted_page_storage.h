// Tenant storage sealed with the crypto module: each table file is a sequence of AES-256-GCM
// pages under the tenant's own data key (the keyring at <data dir>/keyring, wrapped by the
// master key of WEFTKIT_KEY or the configured provider), read and written only through the
// TenantPages of the connection's SecurityContext, so a page of another tenant is refused
// before any decryption (and reported as tenant_violation).
#pragma once

#include <memory>
#include <string>

#include <weftkit/audit/sink.h>
#include <weftkit/config.h>
#include <weftkit/status.h>

#include "page_storage.h"

namespace relational {

// Opens the keyring (creating it on first start) from the WEFTKIT_KEY_PROVIDER settings.
weftkit::StatusOr<std::unique_ptr<StorageBackend>> make_encrypted_storage(const weftkit::config::EncryptionConfig& encryption,
                                                                          const std::string& data_dir,
                                                                          std::shared_ptr<weftkit::audit::AuditSink> audit_sink);

}  // namespace relational
