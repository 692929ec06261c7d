#include "item_routes.h"

#include <ctime>
#include <optional>
#include <string>

#include "http_message.h"

namespace weftkit_kv {
namespace {

using weftkit::Operation;

constexpr size_t kMaxKeyBytes = 256;
constexpr std::string_view kResource = "items";

// Who sent the request: an Identity, or the response that refuses it.
struct Login {
  std::optional<weftkit::Identity> identity;
  HttpResponse refusal;
};

HttpResponse unauthorized(const std::string& error, const std::string& message) {
  HttpResponse response = json_error(401, error, message);
  response.headers["WWW-Authenticate"] = "Bearer realm=\"weftkit-kv\"";
  return response;
}

Login refuse_login(const weftkit::auth::AuthResult& result) {
  return Login{std::nullopt, unauthorized(std::string(weftkit::auth::failure_name(result.failure().kind)),
                                          result.failure().message)};
}

Login login_with_token(const HttpRequest& request, const KernelServices& kernel, const std::string& peer) {
  const std::string* authorization = request.header("authorization");
  if (authorization == nullptr) return Login{std::nullopt, unauthorized("missing_token", "send Authorization: Bearer <JWT>")};
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization->size() <= kBearer.size() || authorization->compare(0, kBearer.size(), kBearer) != 0) {
    return Login{std::nullopt, unauthorized("malformed", "the Authorization header must be: Bearer <JWT>")};
  }
  weftkit::auth::AuthResult result =
      kernel.tokens->verify(std::string_view(*authorization).substr(kBearer.size()), std::time(nullptr), peer);
  if (!result.ok()) return refuse_login(result);
  return Login{result.identity(), {}};
}

std::string operation_name(Operation op) {
  switch (op) {
    case Operation::kSelect: return "SELECT";
    case Operation::kInsert: return "INSERT";
    case Operation::kUpdate: return "UPDATE";
    case Operation::kDelete: return "DELETE";
    default: return "this operation";
  }
}

HttpResponse forbidden(const weftkit::SecurityContext& context, Operation op) {
  return json_error(403, "permission_denied",
                    "permission denied: " + context.identity().user + " may not " + operation_name(op) + " items");
}

HttpResponse storage_error(const weftkit::Status& status) {
  if (status.code() == weftkit::StatusCode::kPermissionDenied) return json_error(403, "permission_denied", status.message());
  return json_error(500, "storage_error", status.message());
}

// The key of /items/{key}, decoded; or why it is not one.
std::optional<std::string> item_key(std::string_view encoded, std::string& why) {
  std::optional<std::string> key = percent_decode(encoded);
  if (!key) {
    why = "the key has a malformed %-escape";
  } else if (key->empty()) {
    why = "the key is empty";
  } else if (key->size() > kMaxKeyBytes) {
    why = "the key has " + std::to_string(key->size()) + " bytes; at most 256 are accepted";
  } else {
    return key;
  }
  return std::nullopt;
}

std::optional<std::string> query_value(const std::string& query, std::string_view name) {
  std::string_view rest = query;
  while (!rest.empty()) {
    size_t end = rest.find('&');
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    size_t equals = pair.find('=');
    if (pair.substr(0, equals) == name) {
      return percent_decode(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
    }
  }
  return std::string();
}

HttpResponse list_items(const HttpRequest& request, weftkit::Statement& statement,
                        const weftkit::SecurityContext& context, ItemStore& items) {
  if (!statement.allowed(Operation::kSelect, kResource)) return forbidden(context, Operation::kSelect);
  std::optional<std::string> prefix = query_value(request.query, "prefix");
  if (!prefix) return json_error(400, "bad_request", "the prefix has a malformed %-escape");
  auto found = items.list(context, *prefix);
  if (!found.is_ok()) return storage_error(found.status());
  HttpResponse response;
  response.body = "{\"items\":[";
  bool first = true;
  for (const auto& [key, bytes] : found.value()) {
    response.body += (first ? "" : ",") + std::string("{\"key\":") + json_string(key) + ",\"bytes\":" +
                     std::to_string(bytes) + "}";
    first = false;
  }
  response.body += "]}\n";
  return response;
}

HttpResponse one_item(const HttpRequest& request, const std::string& key, weftkit::Statement& statement,
                      const weftkit::SecurityContext& context, ItemStore& items) {
  if (request.method == "GET") {
    if (!statement.allowed(Operation::kSelect, kResource)) return forbidden(context, Operation::kSelect);
    auto value = items.get(context, key);
    if (!value.is_ok()) return storage_error(value.status());
    if (!value.value()) return json_error(404, "not_found", "no item " + key);
    HttpResponse response;
    response.content_type = "application/octet-stream";
    response.body = std::move(*value.value());
    return response;
  }
  if (request.method == "PUT") {
    Operation needed = Operation::kInsert;
    auto stored = items.put(context, key, request.body, [&](bool key_exists) {
      needed = key_exists ? Operation::kUpdate : Operation::kInsert;
      return statement.allowed(needed, kResource);
    });
    if (!stored.is_ok()) return storage_error(stored.status());
    if (stored.value() == ItemStore::PutOutcome::kDenied) return forbidden(context, needed);
    bool created = stored.value() == ItemStore::PutOutcome::kCreated;
    HttpResponse response;
    response.status = created ? 201 : 200;
    response.body = "{\"key\":" + json_string(key) + ",\"created\":" + (created ? "true" : "false") + "}\n";
    return response;
  }
  if (request.method == "DELETE") {
    if (!statement.allowed(Operation::kDelete, kResource)) return forbidden(context, Operation::kDelete);
    auto erased = items.erase(context, key);
    if (!erased.is_ok()) return storage_error(erased.status());
    if (!erased.value()) return json_error(404, "not_found", "no item " + key);
    HttpResponse response;
    response.status = 204;
    return response;
  }
  HttpResponse response = json_error(405, "method_not_allowed", request.method + " is not served on /items/{key}");
  response.headers["Allow"] = "GET, PUT, DELETE";
  return response;
}

// What the request gets once its sender is known.
HttpResponse route(const HttpRequest& request, weftkit::SecurityContext& context, ItemStore& items) {
  auto statement = context.begin_statement();
  if (!statement.is_ok()) return json_error(403, "permission_denied", statement.status().message());
  constexpr std::string_view kItems = "/items";
  std::string_view path = request.path;
  if (path == kItems) {
    if (request.method != "GET") {
      HttpResponse response = json_error(405, "method_not_allowed", request.method + " is not served on /items");
      response.headers["Allow"] = "GET";
      return response;
    }
    return list_items(request, statement.value(), context, items);
  }
  if (!path.starts_with("/items/")) return json_error(404, "not_found", "only /items and /items/{key} are served");
  std::string why;
  std::optional<std::string> key = item_key(path.substr(kItems.size() + 1), why);
  if (!key) return json_error(400, "bad_request", why);
  return one_item(request, *key, statement.value(), context, items);
}

}  // namespace

void serve_connection(TlsConnection& connection, const KernelServices& kernel, ItemStore& items) {
  const std::string& peer = connection.peer_address();
  // Under mtls the certificate is the login, once for the connection.
  std::optional<weftkit::SecurityContext> certificate_context;
  std::optional<HttpResponse> certificate_refusal;
  if (kernel.certificates) {
    weftkit::auth::AuthResult result = kernel.certificates->verify_peer(connection.ssl(), std::time(nullptr), peer);
    if (result.ok()) {
      auto context = weftkit::SecurityContext::build(*kernel.store, result.identity());
      if (context.is_ok()) {
        certificate_context.emplace(std::move(context).value());
      } else {
        certificate_refusal = json_error(403, "permission_denied", context.status().message());
      }
    } else {
      certificate_refusal = refuse_login(result).refusal;
    }
  }
  HttpReader reader(connection);
  for (;;) {
    std::optional<HttpRefusal> refusal;
    std::optional<HttpRequest> request = reader.next(refusal);
    if (!request) {
      if (refusal) connection.write_all(serialize(json_error(refusal->status, refusal->error, refusal->message), false));
      return;
    }
    HttpResponse response;
    if (certificate_refusal) {
      response = *certificate_refusal;
    } else if (certificate_context) {
      response = route(*request, *certificate_context, items);
    } else {
      Login login = login_with_token(*request, kernel, peer);
      if (!login.identity) {
        response = login.refusal;
      } else {
        auto context = weftkit::SecurityContext::build(*kernel.store, *login.identity);
        response = context.is_ok() ? route(*request, context.value(), items)
                                   : json_error(403, "permission_denied", context.status().message());
      }
    }
    if (!connection.write_all(serialize(response, request->keep_alive)) || !request->keep_alive) return;
  }
}

}  // namespace weftkit_kv
