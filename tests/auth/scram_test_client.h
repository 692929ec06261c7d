// A SCRAM-SHA-256 client for tests, written straight from RFC 5802 section 3 on OpenSSL, so
// that the server is checked against an independent computation and not against itself.
#pragma once

#include <string>
#include <string_view>

namespace weftkit::auth::testing {

std::string b64(std::string_view bytes);
std::string unb64(std::string_view text);

struct ScramTestClient {
  std::string user;            // n= (may be empty, as libpq sends it)
  std::string password;
  std::string client_nonce;
  std::string gs2_header = "n,,";
  std::string binding_data = {};  // appended to gs2_header in c= when binding

  std::string client_first() const { return gs2_header + client_first_bare(); }
  std::string client_first_bare() const { return "n=" + user + ",r=" + client_nonce; }
  // The client-final message answering `server_first`; `expected_server_final` is what a
  // correct server answers to it.
  std::string client_final(std::string_view server_first);
  std::string expected_server_final = {};
};

}  // namespace weftkit::auth::testing
