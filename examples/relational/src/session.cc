// The per-connection protocol state machine (see session.h).
#include "session.h"

#include <random>
#include <unistd.h>

#include <weftkit/audit/event.h>
#include <weftkit/audit/sink.h>
#include <weftkit/auth/login_name.h>

#include "copy_format.h"
#include "sql_parser.h"
#include "wire_messages.h"

namespace relational {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartupTimeout = 15s;

void send_error(ByteStream& stream, const SqlError& error, std::string_view severity = "ERROR") {
  stream.write(error_response(error.sqlstate, error.message, severity));
}

// Connection parameters from the startup packet (user, database, application_name, ...).
struct StartupPacket {
  std::map<std::string, std::string> parameters;
};

// The startup phase up to the startup packet itself. nullopt: the connection is to be closed
// (what the client should be told has been sent).
// A handshake OpenSSL refused (an untrusted client certificate, not TLS at all) never reaches
// a login backend, so the engine records it as a failed login itself.
void record_refused_handshake(const EngineShared& engine, const std::string& peer, const std::string& why) {
  std::shared_ptr<weftkit::audit::AuditSink> sink = engine.store->audit_sink();
  if (!sink || !sink->wants(weftkit::audit::EventKind::kAuth)) return;
  weftkit::audit::AuditEvent event;
  event.kind = weftkit::audit::EventKind::kAuth;
  event.operation = "TLS_HANDSHAKE";
  event.result = "failure";
  event.source_ip = peer;
  event.reason = why;
  sink->record(std::move(event));
}

std::optional<StartupPacket> negotiate_startup(ByteStream& stream, EngineShared& engine, const std::string& peer) {
  stream.set_read_timeout(kStartupTimeout);
  // At most one SSLRequest and one GSSENCRequest precede the startup packet.
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::optional<std::string> body = read_startup_packet(stream);
    if (!body) return std::nullopt;
    BodyReader reader(*body);
    const int32_t code = reader.int32().value_or(0);
    if (code == kSslRequestCode) {
      if (engine.tls == nullptr || stream.is_tls()) {
        stream.write("N");
        if (!stream.flush()) return std::nullopt;
        continue;
      }
      stream.write("S");
      weftkit::Status handshake = stream.start_tls(engine.tls->current());
      if (handshake.code() == weftkit::StatusCode::kPermissionDenied) record_refused_handshake(engine, peer, handshake.message());
      if (!handshake.is_ok()) return std::nullopt;
      continue;
    }
    if (code == kGssEncRequestCode) {
      stream.write("N");
      if (!stream.flush()) return std::nullopt;
      continue;
    }
    if (code == kCancelRequestCode) return std::nullopt;  // nothing runs long enough to cancel
    if (code != kProtocolVersion3) {
      send_error(stream, {"0A000", "unsupported frontend protocol: only 3.0 is served"}, "FATAL");
      stream.flush();
      return std::nullopt;
    }
    StartupPacket packet;
    while (true) {
      std::optional<std::string> name = reader.cstring();
      if (!name) {
        send_error(stream, {"08P01", "invalid startup packet layout"}, "FATAL");
        stream.flush();
        return std::nullopt;
      }
      if (name->empty()) break;
      std::optional<std::string> value = reader.cstring();
      if (!value) {
        send_error(stream, {"08P01", "invalid startup packet layout"}, "FATAL");
        stream.flush();
        return std::nullopt;
      }
      packet.parameters[*name] = *value;
    }
    return packet;
  }
  return std::nullopt;
}

void send_result(ByteStream& stream, const StatementResult& result) {
  if (result.copy_out) {
    stream.write(copy_out_response(result.columns ? result.columns->size() : 0));
    if (result.copy_out->header && result.columns) {
      std::vector<std::string> names;
      for (const ResultColumn& column : *result.columns) names.push_back(column.name);
      stream.write(copy_data(copy_header_line(names, *result.copy_out)));
    }
    for (const auto& row : result.rows) stream.write(copy_data(copy_line(row, *result.copy_out)));
    stream.write(copy_done());
  } else if (result.columns) {
    stream.write(row_description(*result.columns));
    for (const auto& row : result.rows) stream.write(data_row(row));
  }
  stream.write(command_complete(result.command_tag));
}

// Where the session is, as ReadyForQuery reports it: idle, inside BEGIN ... COMMIT, or inside
// a block a failed statement aborted (then only COMMIT or ROLLBACK are run, both rolling back).
enum class BlockState : char { kIdle = 'I', kInBlock = 'T', kFailed = 'E' };

// BEGIN, COMMIT, ROLLBACK: they move the block state; a block's changes are saved at COMMIT.
void run_transaction_statement(ByteStream& stream, const TransactionStatement& statement, Session& session,
                               BlockState& state) {
  const bool begins = statement.tag == "BEGIN" || statement.tag == "START TRANSACTION";
  if (begins) {
    if (state != BlockState::kIdle) {
      stream.write(notice_response("25001", "there is already a transaction in progress"));
    } else {
      state = BlockState::kInBlock;
    }
    stream.write(command_complete("BEGIN"));
    return;
  }
  if (statement.tag == "COMMIT" && state == BlockState::kInBlock) {
    state = BlockState::kIdle;
    if (SqlStatus failure = commit_query(session)) {
      stream.write(error_response(failure->sqlstate, failure->message));
      return;
    }
    stream.write(command_complete("COMMIT"));
    return;
  }
  const bool was_idle = state == BlockState::kIdle;
  if (was_idle) stream.write(notice_response("25P01", "there is no transaction in progress"));
  rollback_query(session);
  state = BlockState::kIdle;
  // As PostgreSQL tags it: COMMIT of an aborted block rolled back; COMMIT outside one is a COMMIT.
  stream.write(command_complete(was_idle && statement.tag == "COMMIT" ? "COMMIT" : "ROLLBACK"));
}

// One simple-query message: each statement in turn; the first error ends the string. Outside a
// BEGIN block the string is one implicit transaction, committed at its end.
void run_simple_query(ByteStream& stream, std::string_view sql, Session& session, EngineShared& engine,
                      BlockState& state) {
  SqlResult<std::vector<Statement>> statements = parse_statements(sql);
  if (!statements.ok()) {
    send_error(stream, statements.error());
    if (state == BlockState::kInBlock) state = BlockState::kFailed;
    return;
  }
  if (statements.value().empty()) {
    stream.write(empty_query_response());
    return;
  }
  EngineState engine_state{engine.catalog.get(), &engine.locks};
  for (const Statement& statement : statements.value()) {
    if (const auto* transaction = std::get_if<TransactionStatement>(&statement)) {
      run_transaction_statement(stream, *transaction, session, state);
      continue;
    }
    if (state == BlockState::kFailed) {
      send_error(stream, {"25P02", "current transaction is aborted, commands ignored until end of transaction block"});
      return;
    }
    SqlResult<StatementResult> result = execute(statement, session, engine_state);
    if (!result.ok()) {
      rollback_query(session);
      if (state == BlockState::kInBlock) state = BlockState::kFailed;
      send_error(stream, result.error());
      return;
    }
    send_result(stream, result.value());
  }
  if (state == BlockState::kIdle) {
    if (SqlStatus failure = commit_query(session)) send_error(stream, *failure);
  }
}

bool is_extended_query_message(char type) {
  return type == 'P' || type == 'B' || type == 'D' || type == 'E' || type == 'C' || type == 'H';
}

}  // namespace

namespace {

// After authentication: the connection's SecurityContext (the tenant the backend vouched for
// becomes app.tenant_id, which the policies read with current_setting('app.tenant_id') and
// SET cannot change) and its tenant's storage. nullptr when the login is refused here (sent).
std::unique_ptr<Session> open_session(ByteStream& stream, weftkit::Identity identity, const std::string& peer,
                                      const StartupPacket& startup, EngineShared& engine) {
  auto session = std::make_unique<Session>();
  session->store = engine.store.get();
  session->identity = std::move(identity);
  session->identity.source_address = peer;
  if (session->identity.tenant) session->identity.settings.emplace_back("app.tenant_id", *session->identity.tenant);
  weftkit::StatusOr<weftkit::SecurityContext> context = weftkit::SecurityContext::build(*engine.store, session->identity);
  if (!context.is_ok()) {
    send_error(stream, {"28000", "login refused: " + context.status().message()}, "FATAL");
    stream.flush();
    return nullptr;
  }
  session->context.emplace(std::move(context).value());
  SqlResult<std::unique_ptr<TenantStorage>> storage = engine.storage->open_for(*session->context);
  if (!storage.ok()) {
    send_error(stream, storage.error(), "FATAL");
    stream.flush();
    return nullptr;
  }
  session->storage = std::move(storage).value();
  if (auto name = startup.parameters.find("application_name"); name != startup.parameters.end()) {
    session->parameters["application_name"] = name->second;
  }
  session->parameters["client_encoding"] = "UTF8";
  session->parameters["datestyle"] = "ISO, MDY";
  return session;
}

// AuthenticationOk, the parameters psql reads, BackendKeyData and the first ReadyForQuery.
void send_welcome(ByteStream& stream, Session& session) {
  stream.write(authentication_message(0));
  const std::pair<const char*, std::string> parameters[] = {
      {"server_version", "15.0"},
      {"server_encoding", "UTF8"},
      {"client_encoding", "UTF8"},
      {"DateStyle", "ISO, MDY"},
      {"integer_datetimes", "on"},
      {"standard_conforming_strings", "on"},
      {"TimeZone", "UTC"},
      {"IntervalStyle", "postgres"},
      {"is_superuser", "off"},
      {"application_name", session.parameters["application_name"]},
      {"session_authorization", session.identity.user}};
  for (const auto& [name, value] : parameters) stream.write(parameter_status(name, value));
  // Nothing runs long enough to cancel (CancelRequest is ignored), so the key only has to look
  // like one.
  static thread_local std::mt19937 random(std::random_device{}());
  stream.write(backend_key_data(static_cast<int32_t>(::getpid()), static_cast<int32_t>(random())));
  stream.write(ready_for_query('I'));
}

// A session inside a transaction block holds its tables' locks: one idle that long is closed,
// which rolls the block back and lets the others go on.
constexpr auto kIdleInTransactionTimeout = std::chrono::seconds(60);

void serve_queries(ByteStream& stream, Session& session, EngineShared& engine) {
  bool skipping_to_sync = false;  // after an extended-protocol message, until its Sync
  BlockState state = BlockState::kIdle;
  while (true) {
    const std::chrono::milliseconds idle_timeout =
        state == BlockState::kIdle ? std::chrono::milliseconds(0) : kIdleInTransactionTimeout;
    std::optional<FrontendMessage> message = read_message(stream, kMaxMessageBody, idle_timeout);
    if (!message) return;
    switch (message->type) {
      case 'Q': {
        BodyReader reader(message->body);
        std::optional<std::string> sql = reader.cstring();
        if (!sql) {
          send_error(stream, {"08P01", "invalid query message"});
        } else {
          run_simple_query(stream, *sql, session, engine, state);
        }
        stream.write(ready_for_query(static_cast<char>(state)));
        break;
      }
      case 'X': return;
      case 'S':
        skipping_to_sync = false;
        stream.write(ready_for_query(static_cast<char>(state)));
        break;
      case 'F':
        send_error(stream, {"0A000", "the function call protocol is not supported"});
        stream.write(ready_for_query(static_cast<char>(state)));
        break;
      case 'd':
      case 'c':
      case 'f': break;  // copy data with no COPY FROM in progress: ignored, as PostgreSQL does
      default:
        if (!is_extended_query_message(message->type)) {
          send_error(stream, {"08P01", "invalid frontend message type " + std::to_string(static_cast<int>(message->type))},
                     "FATAL");
          stream.flush();
          return;
        }
        // One error for the whole batch up to its Sync, which then gets its ReadyForQuery.
        if (!skipping_to_sync) {
          send_error(stream, {"0A000", "extended query protocol is not supported; use the simple query protocol"});
          skipping_to_sync = true;
        }
        break;
    }
    if (!stream.flush()) return;
  }
}

}  // namespace

void run_session(ByteStream& stream, const std::string& peer, EngineShared& engine) {
  std::optional<StartupPacket> startup = negotiate_startup(stream, engine, peer);
  if (!startup) return;
  auto user = startup->parameters.find("user");
  if (user == startup->parameters.end() || user->second.empty()) {
    send_error(stream, {"28000", "no PostgreSQL user name specified in startup packet"}, "FATAL");
    stream.flush();
    return;
  }
  SqlResult<weftkit::Identity> identity = authenticate_connection(engine.auth, stream, user->second, peer);
  if (!identity.ok()) {
    send_error(stream, identity.error(), "FATAL");
    stream.flush();
    return;
  }
  std::unique_ptr<Session> session = open_session(stream, std::move(identity).value(), peer, *startup, engine);
  if (!session) return;
  send_welcome(stream, *session);
  if (!stream.flush()) return;
  serve_queries(stream, *session, engine);
}

}  // namespace relational
