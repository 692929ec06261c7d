// weftkit-relational: a PostgreSQL-protocol engine whose every check goes through WeftKit
// Policy. Start-up order: configuration (all errors at once) -> policies -> audit -> auth and
// TLS -> catalog and storage -> policy watcher -> listen.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <cstdio>
#include <iostream>

#include <weftkit/audit/writer.h>
#include <weftkit/auth/password_file.h>
#include <weftkit/auth/tls_server.h>
#include <weftkit/config.h>
#include <weftkit/policy_compiler.h>

#include "engine.h"
#include "engine_options.h"
#include "file_io.h"
#include "encrypted_page_storage.h"

namespace {

using relational::EngineShared;

std::atomic<bool> g_stop{false};

std::atomic<bool> g_reload_credentials{false};

void request_stop(int) { g_stop.store(true); }
void request_credentials_reload(int) { g_reload_credentials.store(true); }

// SIGHUP: the users file and the TLS certificate are read again; a file that does not load
// leaves the current ones serving (and says why), as a policy reload does.
void reload_credentials(EngineShared& engine, const weftkit::config::Config& config) {
  if (engine.auth.passwords) {
    weftkit::auth::PasswordFileLoad users = engine.auth.passwords->load_users_file(config.auth.users_file);
    for (const std::string& error : users.errors) std::cerr << "weftkit-relational: users file not reloaded: " << error << "\n";
    if (users.ok()) std::cerr << "weftkit-relational: users file reloaded\n";
  }
  if (engine.tls) {
    weftkit::Status tls = engine.tls->reload();
    if (tls.is_ok()) std::cerr << "weftkit-relational: TLS certificate reloaded\n";
    else std::cerr << "weftkit-relational: TLS certificate not reloaded: " << tls.message() << "\n";
  }
}

int fail_with(const std::vector<std::string>& errors) {
  for (const std::string& error : errors) std::cerr << "weftkit-relational: error: " << error << "\n";
  return 2;
}

// A listening socket on host:port (port 0: any free one); the error says which and why.
weftkit::StatusOr<int> listen_on(const std::string& host, int port, int& bound_port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return weftkit::Status(weftkit::StatusCode::kInvalidArgument, "--listen " + host + ": " + gai_strerror(rc));
  }
  int fd = -1;
  std::string why = "no address";
  for (addrinfo* address = found; address != nullptr && fd < 0; address = address->ai_next) {
    fd = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
    if (fd < 0) continue;
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(fd, address->ai_addr, address->ai_addrlen) != 0 || ::listen(fd, 128) != 0) {
      why = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) return weftkit::Status(weftkit::StatusCode::kInvalidArgument, "cannot listen on " + host + ":" + service + ": " + why);
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  bound_port = ntohs(bound.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                                                : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  relational::ParsedOptions parsed = relational::parse_options(argc, argv);
  if (parsed.options.help) {
    std::cout << relational::usage_text();
    return 0;
  }
  std::vector<std::string> errors = parsed.errors;
  const relational::EngineOptions& options = parsed.options;

  // Every WEFTKIT_* variable is read and checked together: a bad configuration lists all its
  // problems, then the engine exits without serving anything.
  weftkit::config::ConfigResult loaded = weftkit::config::load_config(weftkit::config::process_environment());
  errors.insert(errors.end(), loaded.errors.begin(), loaded.errors.end());
  for (const std::string& warning : loaded.warnings) std::cerr << "weftkit-relational: warning: " << warning << "\n";
  if (loaded.ok() && !loaded.config->auth.mode) errors.push_back("WEFTKIT_AUTH is not set: no connection could log in");
  if (loaded.ok() && loaded.config->auth.mode == weftkit::config::AuthMode::kMtls && !loaded.config->tls.cert) {
    errors.push_back("WEFTKIT_AUTH=mtls needs TLS: set WEFTKIT_TLS_CERT, WEFTKIT_TLS_KEY and WEFTKIT_TLS_CA");
  }
  if (loaded.ok() && loaded.config->policy_public_key) {
    // Deny by default: an operator who asks for signed policies must not get unsigned ones.
    errors.push_back("WEFTKIT_POLICY_PUBLIC_KEY is set, but this engine compiles policy source files and cannot verify signed bundles");
  }
  if (!errors.empty()) return fail_with(errors);
  const weftkit::config::Config& config = *loaded.config;

  // Policies: compiled in process, then served by the store every connection checks against.
  weftkit::StatusOr<weftkit::PolicyCompiler> compiler = weftkit::PolicyCompiler::create();
  if (!compiler.is_ok()) return fail_with({compiler.status().message()});
  auto version = compiler.value().compile(options.policy_files);
  if (!version.is_ok()) {
    // Still report what else is wrong, so one run lists every problem.
    errors.push_back(version.status().message());
    if (config.auth.mode == weftkit::config::AuthMode::kPassword) {
      weftkit::auth::PasswordFileLoad users = weftkit::auth::PasswordFile::load(config.auth.users_file);
      errors.insert(errors.end(), users.errors.begin(), users.errors.end());
    }
    if (config.tls.cert || config.tls.key) {
      auto tls = weftkit::auth::tls_server_context_from_config(config.tls);
      if (!tls.is_ok()) errors.push_back(tls.status().message());
    }
    return fail_with(errors);
  }
  EngineShared engine;
  engine.store = std::make_shared<weftkit::PolicyStore>(std::move(version).value());

  // Audit: attached to the store, every check, denial, schema change and export it wants is
  // recorded; the auth backends get the same sink for logins.
  std::shared_ptr<weftkit::audit::AuditWriter> audit;
  if (config.audit.enabled) {
    auto writer = weftkit::audit::AuditWriter::open(weftkit::audit::writer_options(config.audit));
    if (!writer.is_ok()) return fail_with({"audit: " + writer.status().message()});
    audit = std::move(writer).value();
    engine.store->set_audit_sink(audit);
  }

  auto auth = relational::start_auth(config, engine.store, audit, options.dev_cleartext_without_tls);
  if (!auth.is_ok()) errors.push_back(auth.status().message());
  if (config.tls.cert || config.tls.key) {
    auto tls = weftkit::auth::tls_server_context_from_config(config.tls);
    if (!tls.is_ok()) errors.push_back(tls.status().message());
    else engine.tls = std::move(tls).value();
  }

  const std::string data_dir = config.data_dir.value_or("./data");
  if (!relational::make_private_directories(data_dir)) errors.push_back("WEFTKIT_DATA_DIR " + data_dir + ": cannot be created");
  engine.catalog = std::make_unique<relational::Catalog>(data_dir + "/catalog.sql");
  for (const std::string& error : engine.catalog->load(options.policy_files)) {
    std::cerr << "weftkit-relational: warning: " << error << "\n";
  }
  if (errors.empty()) {
    if (config.encryption.encryption == weftkit::config::Encryption::kNone) {
      engine.storage = relational::make_plain_storage(data_dir);
    } else {
      auto storage = relational::make_encrypted_storage(config.encryption, data_dir, audit);
      if (!storage.is_ok()) errors.push_back("encryption: " + storage.status().message());
      else engine.storage = std::move(storage).value();
    }
  }
  if (!errors.empty()) return fail_with(errors);
  engine.auth = std::move(auth).value();

  // Hot reload: an edited roles or policy file is compiled off the query path and published;
  // a broken edit is reported and the previous version keeps serving.
  relational::Catalog* catalog = engine.catalog.get();
  auto watcher = weftkit::PolicyWatcher::start(
      compiler.value(), *engine.store, options.policy_files, std::chrono::milliseconds(200),
      [catalog, files = options.policy_files](const weftkit::ReloadEvent& event) {
        if (event.status.is_ok()) {
          for (const std::string& error : catalog->load(files)) std::cerr << "weftkit-relational: warning: " << error << "\n";
          std::cerr << "weftkit-relational: policies reloaded (generation " << event.generation << ")\n";
        } else {
          std::cerr << "weftkit-relational: policy reload rejected, previous version keeps serving:\n"
                    << event.status.message() << "\n";
        }
      });
  if (!watcher.is_ok()) return fail_with({"policy watcher: " + watcher.status().message()});

  int port = 0;
  weftkit::StatusOr<int> listener = listen_on(options.listen_host, options.listen_port, port);
  if (!listener.is_ok()) return fail_with({listener.status().message()});
  std::signal(SIGTERM, request_stop);
  std::signal(SIGINT, request_stop);
  std::signal(SIGHUP, request_credentials_reload);
  std::cerr << "weftkit-relational: listening on " << options.listen_host << ":" << port << " (auth "
            << weftkit::config::to_string(*config.auth.mode) << (engine.tls ? ", TLS" : ", no TLS") << ", data "
            << data_dir << ")" << std::endl;

  relational::accept_connections(listener.value(), engine, g_stop, [&engine, &config] {
    if (g_reload_credentials.exchange(false)) reload_credentials(engine, config);
  });
  ::close(listener.value());
  // Detached sessions may still run: flush the audit log, then leave without destroying what
  // they use.
  if (audit) audit->stop();
  std::cerr << "weftkit-relational: stopped" << std::endl;
  std::_Exit(0);
}
