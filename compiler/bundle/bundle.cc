// Bundle serialisation: header checks, SHA-256 integrity, payload decoding and validation.
#include "compiler/bundle/bundle.h"

#include <openssl/evp.h>

#include <array>

#include "compiler/bundle/byte_codec.h"

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
}

// Minimum encoded sizes, used to bound counts before allocating.
constexpr size_t kMinLocationSize = 4 + 4 + 4;
constexpr size_t kMinRoleSize = 4 + 1 + 1 + kMinLocationSize + 4 + 4 + 4;

void read_roles(ByteReader& in, PolicyProgram& program) {
  uint32_t role_count = in.count(kMinRoleSize);
  for (uint32_t index = 0; index < role_count && !in.failed(); ++index) {
    RoleDefinition role;
    role.name = in.string();
    role.builtin = in.u8() != 0;
    role.bypass_rls = in.u8() != 0;
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
  uint32_t user_count = in.count(4 + 4 + 1 + 4 + kMinLocationSize);
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
    bool has_tenant = in.u8() != 0;
    std::string tenant = in.string();
    if (has_tenant) user.tenant = std::move(tenant);
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
  if (cells * 16 != in.remaining()) {
    in.fail("the permission matrix size does not match the data that follows");
    return;
  }
  matrix.allow.resize(cells);
  matrix.deny.resize(cells);
  for (uint64_t cell = 0; cell < cells; ++cell) {
    matrix.allow[cell] = in.u64();
    matrix.deny[cell] = in.u64();
  }
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
  if (in.failed()) return reject("malformed payload: " + in.error());
  if (std::string why = inconsistency(program); !why.empty()) return reject("inconsistent program: " + why);
  return Result<PolicyProgram>::success(std::move(program));
}

}  // namespace weftkit::policy
