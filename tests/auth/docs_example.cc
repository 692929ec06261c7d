// The example of docs/auth.md, compiled here so that it cannot rot (a test also checks the
// page shows exactly the code between the markers).
// --- docs/auth.md example begins ---
#include <functional>
#include <optional>
#include <string>

#include "weftkit/auth/password_authenticator.h"
#include "weftkit/auth/scram.h"

// One connection's SCRAM exchange. `receive` returns the client's next SASL message and `send`
// sends ours; `binding` is tls_server_end_point(our certificate) on a TLS connection.
weftkit::auth::AuthResult authenticate_by_scram(weftkit::auth::PasswordAuthenticator& passwords,
                                                const std::string& login, const std::string& peer,
                                                const std::string& chosen_mechanism,
                                                std::optional<std::string> binding,
                                                const std::function<std::string()>& receive,
                                                const std::function<void(const std::string&)>& send) {
  using namespace weftkit::auth;
  ScramServer server(ScramServerOptions{.users = passwords.users(),
                                        .tenants = passwords.tenants(),
                                        .login_name = login,
                                        .source_address = peer,
                                        .mechanism = chosen_mechanism,
                                        .channel_binding = std::move(binding),
                                        .throttle = &passwords.throttle()});
  while (true) {
    ScramStep step = server.step(receive());
    if (step.outcome && !step.outcome->ok()) return *step.outcome;  // send the protocol's own error
    send(step.server_message);
    if (step.outcome) return *step.outcome;  // the Identity a SecurityContext is built from
  }
}
// --- docs/auth.md example ends ---
