// Page access bound to a statement's tenant, with cross-tenant reads refused and reported.
#include <weftkit/crypto/tenant_pages.h>

namespace weftkit::crypto {

TenantPages::TenantPages(PageCipher& cipher, const Keyring& keyring, std::optional<std::string_view> context_tenant,
                         std::string_view user, TenantViolationSink sink)
    : cipher_(cipher), keyring_(keyring), user_(user), sink_(std::move(sink)) {
  if (context_tenant.has_value()) {
    context_tenant_ = std::string(*context_tenant);
    Result<TenantId> found = keyring.find_tenant(*context_tenant);
    if (found.ok()) tenant_ = found.value();
  }
}

Error TenantPages::refuse(PageId page, std::string page_tenant, std::string message) {
  if (sink_) sink_(TenantViolation{user_, context_tenant_, std::move(page_tenant), page});
  return Error(ErrorCode::kWrongTenant, std::move(message));
}

Result<std::size_t> TenantPages::decrypt(PageId page, std::uint64_t expected_version, std::span<const std::uint8_t> sealed,
                                         std::span<std::uint8_t> out) {
  Result<PageHeaderInfo> header = PageCipher::inspect(sealed);
  if (!header.ok()) return header.error();
  if (!tenant_.has_value() || header.value().tenant != *tenant_) {
    Result<std::string> owner = keyring_.tenant_name(header.value().tenant);
    std::string page_tenant =
        owner.ok() ? owner.value() : "#" + std::to_string(static_cast<std::uint32_t>(header.value().tenant));
    std::string reader = context_tenant_.has_value() ? "tenant '" + *context_tenant_ + "'" : "a context without a tenant";
    if (context_tenant_.has_value() && !tenant_.has_value()) reader += " (not in the keyring)";
    return refuse(page, page_tenant, "a statement of " + reader + " may not read a page of tenant '" + page_tenant + "'");
  }
  return cipher_.decrypt(*tenant_, page, expected_version, sealed, out);
}

Result<std::size_t> TenantPages::encrypt(PageId page, std::uint64_t page_version, std::span<const std::uint8_t> plaintext,
                                         std::span<std::uint8_t> out) {
  if (!tenant_.has_value()) {
    return Error(ErrorCode::kWrongTenant, context_tenant_.has_value()
                                              ? "tenant '" + *context_tenant_ + "' is not in the keyring"
                                              : "a context without a tenant may not write tenant pages");
  }
  return cipher_.encrypt(*tenant_, page, page_version, plaintext, out);
}

}  // namespace weftkit::crypto
