// PostgreSQL frontend/backend protocol v3 framing: reading a client's messages with bounded
// sizes, and building the server's messages byte for byte.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "byte_stream.h"
#include "executor.h"

namespace relational {

inline constexpr int32_t kProtocolVersion3 = 196608;
inline constexpr int32_t kSslRequestCode = 80877103;
inline constexpr int32_t kGssEncRequestCode = 80877104;
inline constexpr int32_t kCancelRequestCode = 80877102;
// The startup packet PostgreSQL accepts is at most 10000 bytes; queries here at most 16 MiB.
inline constexpr size_t kMaxStartupPacket = 10000;
inline constexpr size_t kMaxMessageBody = 16u << 20;

struct FrontendMessage {
  char type = 0;
  std::string body;
};

// One typed message. nullopt when the connection ended, timed out or announced a body over
// max_body bytes (its length is never allocated first). `idle_timeout` bounds the wait for the
// message to begin (zero: forever); once begun, its rest must arrive within 30 s.
std::optional<FrontendMessage> read_message(ByteStream& stream, size_t max_body,
                                            std::chrono::milliseconds idle_timeout = std::chrono::milliseconds(0));
// The startup packet's body (after its length); nullopt as above, for lengths under 8 too.
std::optional<std::string> read_startup_packet(ByteStream& stream);

// Reads big-endian integers and NUL-terminated strings out of a message body.
class BodyReader {
 public:
  explicit BodyReader(std::string_view body) : rest_(body) {}
  std::optional<int32_t> int32();
  std::optional<std::string> cstring();
  std::optional<std::string> bytes(size_t size);
  std::string_view rest() const { return rest_; }

 private:
  std::string_view rest_;
};

// Server messages.
std::string authentication_message(int32_t code, std::string_view data = {});
std::string authentication_sasl(const std::vector<std::string>& mechanisms);
std::string parameter_status(std::string_view name, std::string_view value);
std::string backend_key_data(int32_t process_id, int32_t secret);
std::string ready_for_query(char status);
std::string error_response(std::string_view sqlstate, std::string_view message, std::string_view severity = "ERROR");
// A warning that does not fail anything (NoticeResponse).
std::string notice_response(std::string_view sqlstate, std::string_view message);
std::string row_description(const std::vector<ResultColumn>& columns);
std::string data_row(const std::vector<std::optional<std::string>>& values);
std::string command_complete(std::string_view tag);
std::string empty_query_response();
std::string copy_out_response(size_t columns);
std::string copy_data(std::string_view line);
std::string copy_done();

}  // namespace relational
