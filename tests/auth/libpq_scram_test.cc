// A real SCRAM client: libpq (what psql uses) connects to a loopback server that speaks just
// PostgreSQL's startup and SASL messages and lets ScramServer decide.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <thread>

#include "weftkit/auth/password_authenticator.h"
#include "weftkit/auth/scram.h"

namespace weftkit::auth {
namespace {

// Big-endian framing of the PostgreSQL wire protocol (version 3).
void put_int32(std::string& out, int32_t value) {
  const uint32_t bits = htonl(static_cast<uint32_t>(value));
  out.append(reinterpret_cast<const char*>(&bits), 4);
}

class MiniPostgresServer {
 public:
  explicit MiniPostgresServer(PasswordAuthenticator& passwords) : passwords_(passwords) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(listener_, 1) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on loopback: " << std::strerror(errno);
    }
    port_ = ntohs(address.sin_port);
  }
  ~MiniPostgresServer() { close(listener_); }
  int port() const { return port_; }

  // Serves one connection; the outcome is readable after the thread running this has joined.
  void serve_one() {
    pollfd ready{listener_, POLLIN, 0};
    if (poll(&ready, 1, 20000) != 1) return;  // no client came: the test's assertions fail
    connection_ = accept(listener_, nullptr, nullptr);
    if (connection_ < 0) return;
    run_exchange();
    close(connection_);
  }
  std::optional<AuthResult> outcome;
  std::string login;

 private:
  bool read_exact(char* data, size_t size) {
    while (size > 0) {
      const ssize_t got = read(connection_, data, size);
      if (got <= 0) return false;
      data += got;
      size -= static_cast<size_t>(got);
    }
    return true;
  }
  std::optional<std::string> read_body(size_t header_bytes) {
    char length_bytes[4];
    if (!read_exact(length_bytes, 4)) return std::nullopt;
    uint32_t length = 0;
    std::memcpy(&length, length_bytes, 4);
    length = ntohl(length);
    if (length < 4 || length > 65536) return std::nullopt;
    std::string body(length - 4 - header_bytes, '\0');
    if (!read_exact(body.data(), body.size())) return std::nullopt;
    return body;
  }
  // A typed message ('p'): the type byte, then the body.
  std::optional<std::string> read_message(char expected_type) {
    char type = 0;
    if (!read_exact(&type, 1) || type != expected_type) return std::nullopt;
    return read_body(0);
  }
  void send(char type, const std::string& body) {
    std::string message(1, type);
    put_int32(message, static_cast<int32_t>(body.size() + 4));
    message += body;
    (void)write(connection_, message.data(), message.size());
  }
  void send_authentication(int32_t code, const std::string& data) {
    std::string body;
    put_int32(body, code);
    send('R', body + data);
  }
  void send_error(const std::string& text) {
    send('E', std::string("SFATAL") + '\0' + "VFATAL" + '\0' + "C28P01" + '\0' + "M" + text + '\0' + '\0');
  }

  void run_exchange() {
    std::optional<std::string> startup = read_body(0);
    if (!startup || startup->size() < 4) return;
    // Startup parameters: protocol version, then name\0value\0 pairs.
    for (size_t at = 4; at < startup->size() && (*startup)[at] != '\0';) {
      const std::string name(startup->c_str() + at);
      at += name.size() + 1;
      const std::string value(startup->c_str() + at);
      at += value.size() + 1;
      if (name == "user") login = value;
    }
    ScramServer server(ScramServerOptions{.users = passwords_.users(), .tenants = passwords_.tenants(),
                                          .login_name = login, .source_address = "127.0.0.1"});
    std::string mechanisms;
    for (const std::string& mechanism : ScramServer::mechanisms(false)) mechanisms += mechanism + '\0';
    send_authentication(10, mechanisms + '\0');  // AuthenticationSASL

    std::optional<std::string> initial = read_message('p');  // SASLInitialResponse
    if (!initial) return;
    const std::string mechanism(initial->c_str());
    const std::string client_first = initial->substr(mechanism.size() + 1 + 4);
    ScramStep first = server.step(client_first);
    if (first.outcome) {
      outcome = first.outcome;
      send_error(first.outcome->failure().message);
      return;
    }
    send_authentication(11, first.server_message);  // AuthenticationSASLContinue

    std::optional<std::string> client_final = read_message('p');  // SASLResponse
    if (!client_final) return;
    ScramStep final_step = server.step(*client_final);
    outcome = final_step.outcome;
    if (!outcome || !outcome->ok()) {
      send_error(outcome ? outcome->failure().message : "no outcome");
      return;
    }
    send_authentication(12, final_step.server_message);  // AuthenticationSASLFinal
    send_authentication(0, "");                          // AuthenticationOk
    send('Z', "I");                                      // ReadyForQuery, idle
    char drain[256];
    while (read(connection_, drain, sizeof drain) > 0) {
    }  // until libpq's Terminate and close
  }

  PasswordAuthenticator& passwords_;
  int listener_ = -1;
  int connection_ = -1;
  int port_ = 0;
};

struct Connection {
  ConnStatusType status;
  std::string error;
};

Connection connect_with_libpq(int port, const std::string& user, const std::string& password) {
  const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(port) + " user=" + user + " password=" + password +
                               " dbname=default sslmode=disable gssencmode=disable connect_timeout=10";
  PGconn* connection = PQconnectdb(conninfo.c_str());
  Connection result{PQstatus(connection), PQerrorMessage(connection)};
  PQfinish(connection);
  return result;
}

class LibpqScram : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(passwords_.load_users_text("alice:" + make_scram_verifier("wonderland").value() + "\n", "users").ok());
  }
  PasswordAuthenticator passwords_{PasswordAuthenticatorOptions{
      .tenants = [](std::string_view user) -> std::optional<UserTenants> {
        if (user == "alice") return UserTenants{"tenant-001", {"tenant-002"}};
        return std::nullopt;
      }}};
};

TEST_F(LibpqScram, PsqlsLibraryLogsInWithTheRightPassword) {
  MiniPostgresServer server(passwords_);
  std::thread serving([&] { server.serve_one(); });
  Connection connection = connect_with_libpq(server.port(), "alice@tenant-002", "wonderland");
  serving.join();
  EXPECT_EQ(connection.status, CONNECTION_OK) << connection.error;
  ASSERT_TRUE(server.outcome.has_value());
  ASSERT_TRUE(server.outcome->ok());
  EXPECT_EQ(server.login, "alice@tenant-002");
  EXPECT_EQ(server.outcome->identity().user, "alice");
  EXPECT_EQ(server.outcome->identity().tenant, "tenant-002");
}

TEST_F(LibpqScram, WrongPasswordIsRefusedAndLibpqShowsTheMessage) {
  MiniPostgresServer server(passwords_);
  std::thread serving([&] { server.serve_one(); });
  Connection connection = connect_with_libpq(server.port(), "alice", "looking-glass");
  serving.join();
  EXPECT_EQ(connection.status, CONNECTION_BAD);
  EXPECT_NE(connection.error.find("authentication failed for user \"alice\""), std::string::npos) << connection.error;
  ASSERT_TRUE(server.outcome.has_value());
  EXPECT_EQ(server.outcome->failure().kind, AuthFailureKind::kBadCredentials);
}

TEST_F(LibpqScram, UnknownUserGetsTheSameAnswer) {
  MiniPostgresServer server(passwords_);
  std::thread serving([&] { server.serve_one(); });
  Connection connection = connect_with_libpq(server.port(), "mallory", "wonderland");
  serving.join();
  EXPECT_EQ(connection.status, CONNECTION_BAD);
  EXPECT_NE(connection.error.find("authentication failed for user \"mallory\""), std::string::npos) << connection.error;
}

}  // namespace
}  // namespace weftkit::auth
