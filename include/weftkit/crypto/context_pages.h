// Page access for one statement, bound to its SecurityContext: the tenant and the user come
// from the context's identity, so an engine never types them by hand (and cannot pass a tenant
// the context was not built with). Header-only on purpose: weftkit_crypto does not link the
// runtime; an engine that has a SecurityContext links both.
#pragma once

#include <weftkit/crypto/tenant_pages.h>
#include <weftkit/policy_runtime.h>

namespace weftkit::crypto {

// cipher and keyring must outlive the result; the context need not (its tenant and user are
// copied, and resolved against the keyring once). A context without a tenant reads and writes
// no tenant's pages. The sink may be empty; tenant_violation_sink() (tenant_violation_audit.h)
// makes one from an audit sink.
inline TenantPages tenant_pages_for(PageCipher& cipher, const Keyring& keyring, const SecurityContext& context,
                                    TenantViolationSink sink = {}) {
  const Identity& identity = context.identity();
  std::optional<std::string_view> tenant;
  if (identity.tenant) tenant = *identity.tenant;
  return TenantPages(cipher, keyring, tenant, identity.user, std::move(sink));
}

}  // namespace weftkit::crypto
