// Writes audit events to argv[1] (HMAC key argv[2], rotating at argv[3] bytes) as fast as it
// can until it is killed; the crash test kills it with SIGKILL at random points.
#include <weftkit/audit/writer.h>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: audit_crash_helper FILE KEY MAX_BYTES\n");
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
  for (uint64_t i = 0;; ++i) {
    weftkit::audit::AuditEvent event;
    event.kind = weftkit::audit::EventKind::kAuthzDeny;
    event.identity = "crash-" + std::to_string(i);
    event.resource = "orders";
    event.result = "denied";
    writer.value()->submit(std::move(event));
  }
}
