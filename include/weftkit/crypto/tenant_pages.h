// Page access bound to one statement's tenant: the engine makes a TenantPages from the tenant
// of the statement's SecurityContext (context.identity().tenant) and reads and writes pages only
// through it. A page of another tenant is refused before any decryption and reported as a
// tenant_violation event; a context without a tenant, or with one the keyring does not know,
// can read no tenant's pages. Nothing here looks at roles: there is no bypass, for superusers
// either.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <weftkit/crypto/page_cipher.h>

namespace weftkit::crypto {

// What the audit sink is told about a refused cross-tenant read. Tenant names and the user are
// identities, not secrets; page contents never appear.
struct TenantViolation {
  std::string user;
  std::optional<std::string> context_tenant;  // nullopt: the context had no tenant
  std::string page_tenant;                    // from the page header, e.g. "tenant-002"
  PageId page;
};

using TenantViolationSink = std::function<void(const TenantViolation&)>;

class TenantPages {
 public:
  // Resolves the tenant once (not per page). cipher and keyring must outlive this object; the
  // sink may be empty (nothing is reported, everything is still refused).
  TenantPages(PageCipher& cipher, const Keyring& keyring, std::optional<std::string_view> context_tenant,
              std::string_view user, TenantViolationSink sink = {});

  // wrong_tenant (reported) for a page of another tenant, or for any page when the context has
  // no usable tenant; otherwise as PageCipher::decrypt.
  Result<std::size_t> decrypt(PageId page, std::uint64_t expected_version, std::span<const std::uint8_t> sealed,
                              std::span<std::uint8_t> out);
  // Writes are the context's tenant's by construction; wrong_tenant without one.
  Result<std::size_t> encrypt(PageId page, std::uint64_t page_version, std::span<const std::uint8_t> plaintext,
                              std::span<std::uint8_t> out);

 private:
  Error refuse(PageId page, std::string page_tenant, std::string message);

  PageCipher& cipher_;
  const Keyring& keyring_;
  std::optional<std::string> context_tenant_;
  std::optional<TenantId> tenant_;  // nullopt: no tenant, or one the keyring does not know
  std::string user_;
  TenantViolationSink sink_;
};

}  // namespace weftkit::crypto
