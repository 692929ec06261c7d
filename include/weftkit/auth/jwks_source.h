// Key sets that come from somewhere other than a constructor argument: fetched over https
// (fetch_jwks_https) and kept current by a RefreshingKeySet, which a JwtVerifier consults.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <weftkit/status.h>
#include "weftkit/auth/jwt.h"

namespace weftkit::auth {

struct JwksHttpsOptions {
  std::string uri;                      // https:// only
  std::optional<std::string> ca_file;   // WEFTKIT_JWT_CA; unset: the system's CA store
  std::chrono::milliseconds timeout{5000};  // the whole transfer, connection included
  size_t max_body_bytes = 1024 * 1024;
};

// One GET over TLS 1.2 or later with libcurl: the server's certificate and name always
// verified, no redirects followed, no cookies (proxies from the environment as libcurl reads
// them); the body when the answer is 200 and at most max_body_bytes, otherwise an error naming
// the URI (without any userinfo) and the reason.
StatusOr<std::string> fetch_jwks_https(const JwksHttpsOptions& options);

// A URI as messages show it: any userinfo (user:password@) is left out.
std::string uri_for_messages(const std::string& uri);

struct RefreshingKeySetOptions {
  // An unknown kid refetches at most once per this interval (failed fetches count too), so
  // tokens with made-up kids cannot make the verifier hammer the key server.
  std::chrono::milliseconds min_refetch_interval{10'000};
  std::function<std::chrono::steady_clock::time_point()> clock = [] { return std::chrono::steady_clock::now(); };
  // Names the source in parse errors ("key set <source>: ..."); fetch errors name it themselves.
  std::string source = {};
};

// A key set read from a source (a function returning the set's JSON text), held as an
// immutable JsonWebKeySet behind an atomically swapped shared_ptr: readers never wait for a
// fetch (only for the pointer copy, which libstdc++ guards with a short spin lock).
// A refetch happens on the verifying thread that met an unknown kid; only one thread fetches
// at a time (the others do not wait: they keep the current set) and a set that does not parse
// never replaces the current one.
class RefreshingKeySet {
 public:
  using Fetch = std::function<StatusOr<std::string>()>;

  // Fetches and parses once; an error (naming what failed) when either fails.
  static StatusOr<std::shared_ptr<RefreshingKeySet>> create(Fetch fetch, RefreshingKeySetOptions options = {});

  std::shared_ptr<const JsonWebKeySet> current() const { return std::atomic_load(&keys_); }

  // Called when a token's kid is not in `seen` (the set the caller looked in). Returns a newer
  // set when there is one (another thread refreshed meanwhile, or this call fetched one that
  // parsed); nullptr when the interval has not passed, another thread is fetching, or the fetch
  // or parse failed (the current set keeps serving; last_error() says why).
  std::shared_ptr<const JsonWebKeySet> refresh(const std::shared_ptr<const JsonWebKeySet>& seen);

  uint64_t fetch_count() const { return fetches_.load(); }  // fetch attempts, the first included
  std::optional<std::string> last_error() const;

 private:
  RefreshingKeySet(Fetch fetch, RefreshingKeySetOptions options) : fetch_(std::move(fetch)), options_(std::move(options)) {}
  StatusOr<std::shared_ptr<const JsonWebKeySet>> fetch_and_parse();

  Fetch fetch_;
  RefreshingKeySetOptions options_;
  std::shared_ptr<const JsonWebKeySet> keys_;  // accessed with std::atomic_load/atomic_store only
  std::atomic<uint64_t> fetches_{0};
  std::mutex fetching_;  // held (try_lock) by the one thread fetching; also guards the fields below
  std::optional<std::chrono::steady_clock::time_point> last_refetch_;
  mutable std::mutex error_mutex_;
  std::optional<std::string> last_error_;
};

}  // namespace weftkit::auth
