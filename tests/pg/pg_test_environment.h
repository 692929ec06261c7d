// The PostgreSQL server shared by all tests of one test binary: started by the first test
// that needs it, stopped (and its directory removed) after the last test, also when tests
// fail. Tests that need no server never start one.
#pragma once

#include <string>

namespace weftkit::policy::pgtest {

// The superuser connection string of the running server, starting it on first use. Throws
// std::runtime_error (with the server's log) when it cannot start; GoogleTest reports that
// as the test's failure.
const std::string& test_server_conninfo();

}  // namespace weftkit::policy::pgtest
