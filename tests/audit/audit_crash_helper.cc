// Writes audit events to argv[1] (HMAC key argv[2], rotating at argv[3] bytes) as fast as it
// can until it is killed - the crash test kills it with SIGKILL at random points - or, given
// argv[4], that many events and then exits (the standard output test uses output "-").
#include <weftkit/audit/writer.h>

#include <cstdint>
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr, "usage: audit_crash_helper FILE KEY MAX_BYTES [COUNT]\n");
    return 2;
  }
  weftkit::audit::WriterOptions options;
  options.output = argv[1];
  options.hmac_key = std::string(argv[2]);
  options.max_bytes = std::stoull(argv[3]);
  options.queue_capacity = 1024;
  auto writer = weftkit::audit::AuditWriter::open(options);
  if (!writer.is_ok()) {
    std::fprintf(stderr, "%s\n", writer.status().message().c_str());
    return 1;
  }
  const uint64_t count = argc == 5 ? std::stoull(argv[4]) : UINT64_MAX;
  for (uint64_t i = 0; i < count; ++i) {
    weftkit::audit::AuditEvent event;
    event.kind = weftkit::audit::EventKind::kAuthzDeny;
    event.identity = "crash-" + std::to_string(i);
    event.resource = "orders";
    event.result = "denied";
    writer.value()->submit(std::move(event));
  }
  return 0;  // the writer's destructor flushes everything
}
