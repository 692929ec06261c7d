// Protocol v3 message framing (see wire_messages.h).
#include "wire_messages.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace relational {
namespace {

void put_int32(std::string& out, int32_t value) {
  const uint32_t network = htonl(static_cast<uint32_t>(value));
  out.append(reinterpret_cast<const char*>(&network), 4);
}
void put_int16(std::string& out, int16_t value) {
  const uint16_t network = htons(static_cast<uint16_t>(value));
  out.append(reinterpret_cast<const char*>(&network), 2);
}
void put_cstring(std::string& out, std::string_view text) {
  out += text;
  out += '\0';
}

// type, then the length (itself included), then the body.
std::string framed(char type, const std::string& body) {
  std::string out(1, type);
  put_int32(out, static_cast<int32_t>(body.size() + 4));
  return out + body;
}

std::optional<int32_t> read_int32(ByteStream& stream) {
  uint32_t network = 0;
  if (!stream.read_exact(&network, 4)) return std::nullopt;
  return static_cast<int32_t>(ntohl(network));
}

}  // namespace

std::optional<FrontendMessage> read_message(ByteStream& stream, size_t max_body, std::chrono::milliseconds idle_timeout) {
  FrontendMessage message;
  stream.set_read_timeout(idle_timeout);
  if (!stream.read_exact(&message.type, 1)) return std::nullopt;
  // Once a message has begun, the rest must follow promptly: a client that stops mid-message
  // is dropped instead of holding its thread.
  stream.set_read_timeout(std::chrono::seconds(30));
  std::optional<int32_t> length = read_int32(stream);
  if (!length || *length < 4 || static_cast<size_t>(*length - 4) > max_body) return std::nullopt;
  // Grown as the bytes arrive, so a client announcing a large message and sending little of it
  // costs what it sent, not what it announced.
  const size_t size = static_cast<size_t>(*length - 4);
  constexpr size_t kChunk = 64 * 1024;
  while (message.body.size() < size) {
    const size_t offset = message.body.size();
    message.body.resize(offset + std::min(kChunk, size - offset));
    if (!stream.read_exact(message.body.data() + offset, message.body.size() - offset)) return std::nullopt;
  }
  return message;
}

std::optional<std::string> read_startup_packet(ByteStream& stream) {
  std::optional<int32_t> length = read_int32(stream);
  if (!length || *length < 8 || static_cast<size_t>(*length) > kMaxStartupPacket) return std::nullopt;
  std::string body(static_cast<size_t>(*length - 4), '\0');
  if (!stream.read_exact(body.data(), body.size())) return std::nullopt;
  return body;
}

std::optional<int32_t> BodyReader::int32() {
  if (rest_.size() < 4) return std::nullopt;
  uint32_t network = 0;
  std::memcpy(&network, rest_.data(), 4);
  rest_.remove_prefix(4);
  return static_cast<int32_t>(ntohl(network));
}

std::optional<std::string> BodyReader::cstring() {
  const size_t end = rest_.find('\0');
  if (end == std::string_view::npos) return std::nullopt;
  std::string text(rest_.substr(0, end));
  rest_.remove_prefix(end + 1);
  return text;
}

std::optional<std::string> BodyReader::bytes(size_t size) {
  if (rest_.size() < size) return std::nullopt;
  std::string out(rest_.substr(0, size));
  rest_.remove_prefix(size);
  return out;
}

std::string authentication_message(int32_t code, std::string_view data) {
  std::string body;
  put_int32(body, code);
  body += data;
  return framed('R', body);
}

std::string authentication_sasl(const std::vector<std::string>& mechanisms) {
  std::string body;
  put_int32(body, 10);
  for (const std::string& mechanism : mechanisms) put_cstring(body, mechanism);
  body += '\0';
  return framed('R', body);
}

std::string parameter_status(std::string_view name, std::string_view value) {
  std::string body;
  put_cstring(body, name);
  put_cstring(body, value);
  return framed('S', body);
}

std::string backend_key_data(int32_t process_id, int32_t secret) {
  std::string body;
  put_int32(body, process_id);
  put_int32(body, secret);
  return framed('K', body);
}

std::string ready_for_query(char status) { return framed('Z', std::string(1, status)); }

std::string notice_response(std::string_view sqlstate, std::string_view message) {
  std::string error = error_response(sqlstate, message, "WARNING");
  error[0] = 'N';  // the same fields as an ErrorResponse
  return error;
}

std::string error_response(std::string_view sqlstate, std::string_view message, std::string_view severity) {
  std::string body;
  body += 'S';
  put_cstring(body, severity);
  body += 'V';
  put_cstring(body, severity);
  body += 'C';
  put_cstring(body, sqlstate);
  body += 'M';
  put_cstring(body, message);
  body += '\0';
  return framed('E', body);
}

std::string row_description(const std::vector<ResultColumn>& columns) {
  std::string body;
  put_int16(body, static_cast<int16_t>(columns.size()));
  for (const ResultColumn& column : columns) {
    put_cstring(body, column.name);
    put_int32(body, 0);  // table OID
    put_int16(body, 0);  // column number
    put_int32(body, static_cast<int32_t>(column.type_oid));
    put_int16(body, column.type_size);
    put_int32(body, -1);  // type modifier
    put_int16(body, 0);   // text format
  }
  return framed('T', body);
}

std::string data_row(const std::vector<std::optional<std::string>>& values) {
  std::string body;
  put_int16(body, static_cast<int16_t>(values.size()));
  for (const std::optional<std::string>& value : values) {
    if (!value) {
      put_int32(body, -1);
      continue;
    }
    put_int32(body, static_cast<int32_t>(value->size()));
    body += *value;
  }
  return framed('D', body);
}

std::string command_complete(std::string_view tag) {
  std::string body;
  put_cstring(body, tag);
  return framed('C', body);
}

std::string empty_query_response() { return framed('I', ""); }

std::string copy_out_response(size_t columns) {
  std::string body(1, '\0');  // text
  put_int16(body, static_cast<int16_t>(columns));
  for (size_t i = 0; i < columns; ++i) put_int16(body, 0);
  return framed('H', body);
}

std::string copy_data(std::string_view line) { return framed('d', std::string(line)); }
std::string copy_done() { return framed('c', ""); }

}  // namespace relational
