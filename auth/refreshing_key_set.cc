// The cached key set: lock-free reads through std::atomic_load of a shared_ptr, and refetches
// rate-limited and done by at most one thread at a time, which never makes readers wait.
#include "weftkit/auth/jwks_source.h"

namespace weftkit::auth {

StatusOr<std::shared_ptr<RefreshingKeySet>> RefreshingKeySet::create(Fetch fetch, RefreshingKeySetOptions options) {
  std::shared_ptr<RefreshingKeySet> cache(new RefreshingKeySet(std::move(fetch), std::move(options)));
  StatusOr<std::shared_ptr<const JsonWebKeySet>> first = cache->fetch_and_parse();
  if (!first.is_ok()) return first.status();
  std::atomic_store(&cache->keys_, std::move(first).value());
  return cache;
}

StatusOr<std::shared_ptr<const JsonWebKeySet>> RefreshingKeySet::fetch_and_parse() {
  fetches_.fetch_add(1);
  StatusOr<std::string> text = fetch_();
  if (!text.is_ok()) return text.status();
  StatusOr<JsonWebKeySet> parsed = JsonWebKeySet::parse(text.value());
  if (!parsed.is_ok()) {
    if (options_.source.empty()) return parsed.status();
    // JsonWebKeySet's messages start "key set: "; say which one.
    std::string message = parsed.status().message();
    if (message.starts_with("key set: ")) message = message.substr(9);
    return Status(parsed.status().code(), "key set " + options_.source + ": " + message);
  }
  return std::shared_ptr<const JsonWebKeySet>(std::make_shared<JsonWebKeySet>(std::move(parsed).value()));
}

std::shared_ptr<const JsonWebKeySet> RefreshingKeySet::refresh(const std::shared_ptr<const JsonWebKeySet>& seen) {
  // Another thread may have swapped in a newer set since the caller looked.
  std::shared_ptr<const JsonWebKeySet> now_serving = current();
  if (now_serving != seen) return now_serving;
  // Whoever holds the lock is fetching; waiting for it would make a verification as slow as
  // the key server, so this token is answered with the set there is.
  std::unique_lock<std::mutex> lock(fetching_, std::try_to_lock);
  if (!lock.owns_lock()) return nullptr;
  now_serving = current();
  if (now_serving != seen) return now_serving;
  const auto now = options_.clock();
  if (last_refetch_ && now - *last_refetch_ < options_.min_refetch_interval) return nullptr;
  last_refetch_ = now;
  StatusOr<std::shared_ptr<const JsonWebKeySet>> fresh = fetch_and_parse();
  if (!fresh.is_ok()) {
    std::lock_guard<std::mutex> guard(error_mutex_);
    last_error_ = fresh.status().message();
    return nullptr;
  }
  {
    std::lock_guard<std::mutex> guard(error_mutex_);
    last_error_.reset();
  }
  std::shared_ptr<const JsonWebKeySet> fresh_set = std::move(fresh).value();
  std::atomic_store(&keys_, fresh_set);
  return fresh_set;
}

std::optional<std::string> RefreshingKeySet::last_error() const {
  std::lock_guard<std::mutex> guard(error_mutex_);
  return last_error_;
}

}  // namespace weftkit::auth
