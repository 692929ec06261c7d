// Bundle serialisation: header checks, SHA-256 integrity, payload decoding and validation.
#include "compiler/bundle/bundle.h"

#include <openssl/evp.h>

#include <array>
#include <cstring>

#include "compiler/bundle/byte_codec.h"
#include "compiler/ir/expr_validation.h"
#include "compiler/values/decimal.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy {
namespace {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view bytes) {
  Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    // Without a working digest nothing can be trusted; an all-zero digest never verifies
    // against a real one, so a failure here fails closed.
    digest.fill(0);
  }
  return digest;
}

void write_location(ByteWriter& out, const SourceLocation& where) {
  out.string(where.file);
  out.u32(where.line);
  out.u32(where.column);
}

SourceLocation read_location(ByteReader& in) {
  SourceLocation where;
  where.file = in.string();
  where.line = in.u32();
  where.column = in.u32();
  return where;
}

void write_value(ByteWriter& out, const Value& value) {
  out.u8(static_cast<uint8_t>(value.type));
  out.u8(value.is_null ? 1 : 0);
  out.u64(static_cast<uint64_t>(value.integer));
  uint64_t real_bits = 0;
  std::memcpy(&real_bits, &value.real, sizeof real_bits);
  out.u64(real_bits);
  out.string(format_decimal(value.decimal));  // numeric's text form keeps value and scale exactly
  out.string(value.text);
}

void write_expr(ByteWriter& out, const Expr& expr) {
  out.u8(static_cast<uint8_t>(expr.kind));
  out.u8(static_cast<uint8_t>(expr.type.id));
  out.u32(static_cast<uint32_t>(expr.type.max_length));
  write_location(out, expr.where);
  write_value(out, expr.constant);
  out.u32(expr.column);
  out.string(expr.name);
  out.string(expr.message);
  out.u8(static_cast<uint8_t>((expr.missing_ok ? 1 : 0) | (expr.negated ? 2 : 0) | (expr.case_insensitive ? 4 : 0) |
                              (expr.has_else ? 8 : 0)));
  out.u8(static_cast<uint8_t>(expr.compare));
  out.u8(static_cast<uint8_t>(expr.arithmetic));
  out.u8(static_cast<uint8_t>(expr.cast_mode));
  out.u8(static_cast<uint8_t>(expr.operand_type));
  out.u32(static_cast<uint32_t>(expr.args.size()));
  for (const Expr& arg : expr.args) write_expr(out, arg);
}

void write_optional_expr(ByteWriter& out, const std::optional<Expr>& expr) {
  out.u8(expr ? 1 : 0);
  if (expr) write_expr(out, *expr);
}

void write_tables(ByteWriter& out, const PolicyProgram& program) {
  out.u32(static_cast<uint32_t>(program.tables.size()));
  for (const TableDefinition& table : program.tables) {
    out.string(table.name.schema);
    out.string(table.name.table);
    write_location(out, table.where);
    out.u8(table.rls_enabled ? 1 : 0);
    out.u8(table.rls_forced ? 1 : 0);
    out.u32(static_cast<uint32_t>(table.columns.size()));
    for (const ColumnDefinition& column : table.columns) {
      out.string(column.name);
      out.u8(static_cast<uint8_t>(column.type.id));
      out.u32(static_cast<uint32_t>(column.type.max_length));
      out.u8(column.not_null ? 1 : 0);
      write_location(out, column.where);
    }
    out.u32(static_cast<uint32_t>(table.policies.size()));
    for (const RowPolicy& policy : table.policies) {
      out.string(policy.name);
      out.u8(policy.permissive ? 1 : 0);
      out.u8(static_cast<uint8_t>(policy.command));
      write_location(out, policy.where);
      out.u32(static_cast<uint32_t>(policy.grantees.size()));
      for (const PolicyGrantee& grantee : policy.grantees) {
        out.u8(static_cast<uint8_t>(grantee.kind));
        out.string(grantee.role);
        write_location(out, grantee.where);
      }
      write_optional_expr(out, policy.using_expr);
      write_optional_expr(out, policy.check_expr);
    }
  }
}

void write_payload(ByteWriter& out, const PolicyProgram& program) {
  out.u32(static_cast<uint32_t>(program.roles.size()));
  for (const RoleDefinition& role : program.roles) {
    out.string(role.name);
    out.u8(role.builtin ? 1 : 0);
    out.u8(role.bypass_rls ? 1 : 0);
    write_location(out, role.where);
    out.u32(static_cast<uint32_t>(role.inherits.size()));
    for (RoleId parent : role.inherits) out.u32(parent);
    out.u32(static_cast<uint32_t>(role.scope.size()));
    for (const ResourcePattern& pattern : role.scope) {
      out.u8(static_cast<uint8_t>(pattern.kind));
      out.string(pattern.schema);
      out.string(pattern.table);
    }
    out.u32(static_cast<uint32_t>(role.rules.size()));
    for (const PermissionRule& rule : role.rules) {
      out.u8(static_cast<uint8_t>(rule.effect));
      out.u64(rule.ops);
      out.string(rule.written);
      write_location(out, rule.where);
    }
  }
  out.u32(static_cast<uint32_t>(program.users.size()));
  for (const UserDefinition& user : program.users) {
    out.string(user.name);
    out.u32(static_cast<uint32_t>(user.roles.size()));
    for (const RoleGrant& grant : user.roles) {
      out.u32(grant.role);
      write_location(out, grant.where);
    }
    out.u8(user.tenant ? 1 : 0);
    out.string(user.tenant.value_or(""));
    out.u32(static_cast<uint32_t>(user.other_tenants.size()));
    for (const std::string& tenant : user.other_tenants) out.string(tenant);
    write_location(out, user.where);
  }
  out.u32(static_cast<uint32_t>(program.resource_classes.classes.size()));
  for (const ResourceClass& resource_class : program.resource_classes.classes) {
    out.u8(static_cast<uint8_t>(resource_class.kind));
    out.string(resource_class.schema);
    out.string(resource_class.table);
  }
  const PermissionMatrix& matrix = program.permissions;
  out.u32(matrix.role_count);
  out.u32(matrix.class_count);
  for (size_t index = 0; index < matrix.allow.size(); ++index) {
    out.u64(matrix.allow[index]);
    out.u64(matrix.deny[index]);
  }
  write_tables(out, program);
}

// Minimum encoded sizes, used to bound counts before allocating.
constexpr size_t kMinLocationSize = 4 + 4 + 4;
constexpr size_t kMinRoleSize = 4 + 1 + 1 + kMinLocationSize + 4 + 4 + 4;

void read_roles(ByteReader& in, PolicyProgram& program) {
  uint32_t role_count = in.count(kMinRoleSize);
  for (uint32_t index = 0; index < role_count && !in.failed(); ++index) {
    RoleDefinition role;
    role.name = in.string();
    role.builtin = in.boolean();
    role.bypass_rls = in.boolean();
    role.where = read_location(in);
    uint32_t parents = in.count(4);
    for (uint32_t parent = 0; parent < parents; ++parent) role.inherits.push_back(in.u32());
    uint32_t patterns = in.count(1 + 4 + 4);
    for (uint32_t pattern = 0; pattern < patterns && !in.failed(); ++pattern) {
      uint8_t kind = in.u8();
      if (kind > static_cast<uint8_t>(ResourcePattern::Kind::kExact)) in.fail("unknown resource pattern kind");
      ResourcePattern decoded{static_cast<ResourcePattern::Kind>(kind), in.string(), in.string()};
      role.scope.push_back(std::move(decoded));
    }
    uint32_t rules = in.count(1 + 8 + 4 + kMinLocationSize);
    for (uint32_t rule = 0; rule < rules && !in.failed(); ++rule) {
      PermissionRule decoded;
      uint8_t effect = in.u8();
      if (effect > static_cast<uint8_t>(Effect::kDeny)) in.fail("unknown rule effect");
      decoded.effect = static_cast<Effect>(effect);
      decoded.ops = in.u64();
      decoded.written = in.string();
      decoded.where = read_location(in);
      role.rules.push_back(std::move(decoded));
    }
    program.roles.push_back(std::move(role));
  }
}

void read_users(ByteReader& in, PolicyProgram& program) {
  uint32_t user_count = in.count(4 + 4 + 1 + 4 + 4 + kMinLocationSize);
  for (uint32_t index = 0; index < user_count && !in.failed(); ++index) {
    UserDefinition user;
    user.name = in.string();
    uint32_t roles = in.count(4 + kMinLocationSize);
    for (uint32_t role = 0; role < roles && !in.failed(); ++role) {
      RoleGrant grant;
      grant.role = in.u32();
      grant.where = read_location(in);
      user.roles.push_back(std::move(grant));
    }
    bool has_tenant = in.boolean();
    std::string tenant = in.string();
    if (!has_tenant && !tenant.empty()) in.fail("a tenant without its flag");
    if (has_tenant) user.tenant = std::move(tenant);
    uint32_t other_tenants = in.count(4);
    for (uint32_t other = 0; other < other_tenants && !in.failed(); ++other) user.other_tenants.push_back(in.string());
    user.where = read_location(in);
    program.users.push_back(std::move(user));
  }
}

void read_matrix(ByteReader& in, PolicyProgram& program) {
  uint32_t class_count = in.count(1 + 4 + 4);
  for (uint32_t index = 0; index < class_count && !in.failed(); ++index) {
    uint8_t kind = in.u8();
    if (kind > static_cast<uint8_t>(ResourceClass::Kind::kEverythingElse)) in.fail("unknown resource class kind");
    ResourceClass decoded{static_cast<ResourceClass::Kind>(kind), in.string(), in.string()};
    program.resource_classes.classes.push_back(std::move(decoded));
  }
  PermissionMatrix& matrix = program.permissions;
  matrix.role_count = in.u32();
  matrix.class_count = in.u32();
  uint64_t cells = static_cast<uint64_t>(matrix.role_count) * matrix.class_count;
  if (in.failed()) return;
  if (cells > in.remaining() / 16) {  // division: the product of two u32 may not fit u64 * 16
    in.fail("the permission matrix is larger than the data that follows");
    return;
  }
  matrix.allow.resize(cells);
  matrix.deny.resize(cells);
  for (uint64_t cell = 0; cell < cells; ++cell) {
    matrix.allow[cell] = in.u64();
    matrix.deny[cell] = in.u64();
  }
}

Value read_value(ByteReader& in) {
  Value value;
  uint8_t type = in.u8();
  if (type > static_cast<uint8_t>(TypeId::kUuid)) in.fail("unknown value type");
  value.type = static_cast<TypeId>(type);
  value.is_null = in.boolean();
  value.integer = static_cast<int64_t>(in.u64());
  uint64_t real_bits = in.u64();
  std::memcpy(&value.real, &real_bits, sizeof real_bits);
  std::string decimal = in.string();
  try {
    value.decimal = parse_decimal(decimal);
  } catch (const SqlError&) {
    in.fail("bad numeric value");
  }
  // One encoding per value: exactly what format_decimal writes.
  if (!in.failed() && format_decimal(value.decimal) != decimal) in.fail("bad numeric value");
  value.text = in.string();
  return value;
}

// A value: type, null flag, integer, real, numeric text (at least "0"), text.
constexpr size_t kMinValueSize = 1 + 1 + 8 + 8 + (4 + 1) + 4;
constexpr size_t kMinExprSize = 2 + 4 + kMinLocationSize + kMinValueSize + 4 + 4 + 4 + 5 + 4;

Expr read_expr(ByteReader& in, int depth) {
  Expr expr;
  if (depth > kMaxExprDepth) {
    in.fail("expression nested deeper than " + std::to_string(kMaxExprDepth));
    return expr;
  }
  uint8_t kind = in.u8();
  if (kind > static_cast<uint8_t>(ExprKind::kPlanError)) in.fail("unknown expression kind");
  expr.kind = static_cast<ExprKind>(kind);
  uint8_t type = in.u8();
  if (type > static_cast<uint8_t>(TypeId::kUuid)) in.fail("unknown type");
  expr.type.id = static_cast<TypeId>(type);
  expr.type.max_length = static_cast<int32_t>(in.u32());
  expr.where = read_location(in);
  expr.constant = read_value(in);
  expr.column = in.u32();
  expr.name = in.string();
  expr.message = in.string();
  uint8_t flags = in.u8();
  if (flags > 15) in.fail("unknown expression flags");
  expr.missing_ok = flags & 1;
  expr.negated = flags & 2;
  expr.case_insensitive = flags & 4;
  expr.has_else = flags & 8;
  uint8_t compare = in.u8();
  uint8_t arithmetic = in.u8();
  uint8_t cast_mode = in.u8();
  uint8_t operand_type = in.u8();
  if (compare > static_cast<uint8_t>(CompareOp::kGe) || arithmetic > static_cast<uint8_t>(ArithmeticOp::kModulo) ||
      cast_mode > static_cast<uint8_t>(CastMode::kCrossTypeOperand) || operand_type > static_cast<uint8_t>(TypeId::kUuid)) {
    in.fail("unknown operator, cast mode or operand type");
  }
  expr.compare = static_cast<CompareOp>(compare);
  expr.arithmetic = static_cast<ArithmeticOp>(arithmetic);
  expr.cast_mode = static_cast<CastMode>(cast_mode);
  expr.operand_type = static_cast<TypeId>(operand_type);
  uint32_t args = in.count(kMinExprSize);
  for (uint32_t index = 0; index < args && !in.failed(); ++index) expr.args.push_back(read_expr(in, depth + 1));
  return expr;
}

std::optional<Expr> read_optional_expr(ByteReader& in) {
  if (!in.boolean()) return std::nullopt;
  return read_expr(in, 0);
}

void read_tables(ByteReader& in, PolicyProgram& program) {
  uint32_t table_count = in.count(4 + 4 + kMinLocationSize + 2 + 4 + 4);
  for (uint32_t index = 0; index < table_count && !in.failed(); ++index) {
    TableDefinition table;
    table.name.schema = in.string();
    table.name.table = in.string();
    table.where = read_location(in);
    table.rls_enabled = in.boolean();
    table.rls_forced = in.boolean();
    uint32_t columns = in.count(4 + 1 + 4 + 1 + kMinLocationSize);
    for (uint32_t column = 0; column < columns && !in.failed(); ++column) {
      ColumnDefinition definition;
      definition.name = in.string();
      uint8_t type = in.u8();
      if (type > static_cast<uint8_t>(TypeId::kUuid) || type == static_cast<uint8_t>(TypeId::kUnknown)) {
        in.fail("unknown column type");
      }
      definition.type.id = static_cast<TypeId>(type);
      definition.type.max_length = static_cast<int32_t>(in.u32());
      definition.not_null = in.boolean();
      definition.where = read_location(in);
      table.columns.push_back(std::move(definition));
    }
    uint32_t policies = in.count(4 + 2 + kMinLocationSize + 4 + 2);
    for (uint32_t policy_index = 0; policy_index < policies && !in.failed(); ++policy_index) {
      RowPolicy policy;
      policy.name = in.string();
      policy.permissive = in.boolean();
      uint8_t command = in.u8();
      if (command > static_cast<uint8_t>(PolicyCommand::kDelete)) in.fail("unknown policy command");
      policy.command = static_cast<PolicyCommand>(command);
      policy.where = read_location(in);
      uint32_t grantees = in.count(1 + 4 + kMinLocationSize);
      for (uint32_t grantee = 0; grantee < grantees && !in.failed(); ++grantee) {
        PolicyGrantee decoded;
        uint8_t kind = in.u8();
        if (kind > static_cast<uint8_t>(PolicyGrantee::Kind::kRole)) in.fail("unknown grantee kind");
        decoded.kind = static_cast<PolicyGrantee::Kind>(kind);
        decoded.role = in.string();
        decoded.where = read_location(in);
        policy.grantees.push_back(std::move(decoded));
      }
      policy.using_expr = read_optional_expr(in);
      policy.check_expr = read_optional_expr(in);
      table.policies.push_back(std::move(policy));
    }
    program.tables.push_back(std::move(table));
  }
}

std::string table_inconsistency(const PolicyProgram& program) {
  for (size_t index = 0; index < program.tables.size(); ++index) {
    const TableDefinition& table = program.tables[index];
    for (size_t other = 0; other < index; ++other) {
      if (program.tables[other].name == table.name) return "table " + table.name.qualified() + " appears twice";
    }
    for (size_t policy = 0; policy < table.policies.size(); ++policy) {
      const RowPolicy& current = table.policies[policy];
      if (policy > 0 && !(table.policies[policy - 1].name < current.name)) {
        return "the policies of table " + table.name.qualified() + " are not in strict name order";
      }
      if (current.grantees.empty()) return "policy \"" + current.name + "\" applies to no role";
      for (const std::optional<Expr>* expr : {&current.using_expr, &current.check_expr}) {
        if (!*expr) continue;
        std::string problem = expr_problem(**expr, table.columns.size());
        if (problem.empty() && (*expr)->type.id != TypeId::kBool) problem = "a policy condition that is not boolean";
        if (!problem.empty()) return "policy \"" + current.name + "\": " + problem;
      }
    }
  }
  return {};
}

// Structural checks a checksum cannot give: every id in range, every mask a real operation
// set, and the matrix exactly what the roles imply.
std::string inconsistency(const PolicyProgram& program) {
  const size_t role_count = program.roles.size();
  for (const RoleDefinition& role : program.roles) {
    if (role.scope.empty()) return "role '" + role.name + "' has no scope";
    for (RoleId parent : role.inherits) {
      if (parent >= role_count) return "role '" + role.name + "' inherits a role id out of range";
    }
    for (const PermissionRule& rule : role.rules) {
      if ((rule.ops & ~kAllOperations) != 0) return "role '" + role.name + "' has an unknown operation bit";
    }
  }
  for (const UserDefinition& user : program.users) {
    for (const RoleGrant& grant : user.roles) {
      if (grant.role >= role_count) return "user '" + user.name + "' holds a role id out of range";
    }
  }
  const auto& classes = program.resource_classes.classes;
  if (classes.empty() || classes.back().kind != ResourceClass::Kind::kEverythingElse) {
    return "the resource classes do not end with the catch-all class";
  }
  PolicyProgram rebuilt;
  rebuilt.roles = program.roles;
  build_permission_matrix(rebuilt);
  if (rebuilt.resource_classes.classes != classes) return "the resource classes do not match the roles' scopes";
  const PermissionMatrix& matrix = program.permissions;
  if (matrix.role_count != rebuilt.permissions.role_count || matrix.class_count != rebuilt.permissions.class_count ||
      matrix.allow != rebuilt.permissions.allow || matrix.deny != rebuilt.permissions.deny) {
    return "the permission matrix does not match the roles";
  }
  return {};
}

}  // namespace

std::string write_bundle(const PolicyProgram& program) {
  ByteWriter payload;
  write_payload(payload, program);
  Digest digest = sha256(payload.bytes());
  ByteWriter out;
  out.raw(kBundleMagic);
  out.u32(kBundleFormatVersion);
  out.u32(0);
  out.u64(payload.bytes().size());
  out.raw(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  out.raw(payload.bytes());
  return out.bytes();
}

Result<PolicyProgram> read_bundle(std::string_view bytes, const std::string& path) {
  Diagnostics diagnostics;
  auto reject = [&](const std::string& why) {
    diagnostics.error(SourceLocation{path, 0, 0}, "rejected bundle: " + why);
    return Result<PolicyProgram>::failure(std::move(diagnostics));
  };
  if (bytes.size() < kBundleMagic.size() || bytes.substr(0, kBundleMagic.size()) != kBundleMagic) {
    return reject("not a WeftKit policy bundle (bad magic number)");
  }
  if (bytes.size() < kBundleHeaderSize) return reject("truncated header");
  ByteReader header(bytes.substr(kBundleMagic.size()));
  uint32_t version = header.u32();
  uint32_t flags = header.u32();
  uint64_t payload_size = header.u64();
  if (version != kBundleFormatVersion) {
    return reject("format version " + std::to_string(version) + " is not supported (this build reads version " +
                  std::to_string(kBundleFormatVersion) + "); recompile the policy with this weftkit-policyc");
  }
  if (flags != 0) return reject("unknown flags " + std::to_string(flags));
  std::string_view stored_digest = bytes.substr(kBundleHeaderSize - 32, 32);
  std::string_view payload = bytes.substr(kBundleHeaderSize);
  if (payload.size() < payload_size) {
    return reject("truncated: the header promises " + std::to_string(payload_size) + " payload bytes, found " +
                  std::to_string(payload.size()));
  }
  if (payload.size() > payload_size) {
    return reject(std::to_string(payload.size() - payload_size) + " unexpected bytes after the payload");
  }
  Digest digest = sha256(payload);
  if (stored_digest != std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())) {
    return reject("checksum mismatch: the file is corrupted");
  }
  PolicyProgram program;
  ByteReader in(payload);
  read_roles(in, program);
  read_users(in, program);
  read_matrix(in, program);
  read_tables(in, program);
  if (!in.failed() && in.remaining() != 0) in.fail("unexpected data after the tables");
  if (in.failed()) return reject("malformed payload: " + in.error());
  if (std::string why = table_inconsistency(program); !why.empty()) return reject("inconsistent program: " + why);
  if (std::string why = inconsistency(program); !why.empty()) return reject("inconsistent program: " + why);
  return Result<PolicyProgram>::success(std::move(program));
}

}  // namespace weftkit::policy
