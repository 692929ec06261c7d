// One connection's life over protocol v3: startup (SSLRequest, GSSENCRequest, CancelRequest,
// the startup packet), authentication, the session's SecurityContext and storage, then the
// simple query protocol until Terminate. Extended-protocol messages are refused with one error
// and skipped up to Sync, so a client using them gets an answer and the session goes on.
#pragma once

#include <string>

#include "byte_stream.h"
#include "engine.h"

namespace relational {

void run_session(ByteStream& stream, const std::string& peer, EngineShared& engine);

}  // namespace relational
