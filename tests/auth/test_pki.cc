// openssl req / openssl ca driven from a configuration file written here, so the certificates
// do not depend on the system's openssl.cnf.
#include "tests/auth/test_pki.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace weftkit::auth::testing {
namespace {

std::string ca_config(const std::string& dir) {
  return "[ ca ]\ndefault_ca = this_ca\n"
         "[ this_ca ]\n"
         "database = " + dir + "/index.txt\nnew_certs_dir = " + dir + "/issued\nserial = " + dir + "/serial\n"
         "crlnumber = " + dir + "/crlnumber\ncertificate = " + dir + "/ca.pem\nprivate_key = " + dir + "/ca.key\n"
         "default_md = sha256\ndefault_days = 365\ndefault_crl_days = 30\npolicy = any_name\n"
         "unique_subject = no\ncopy_extensions = none\nemail_in_dn = no\npreserve = yes\n"
         "crl_extensions = crl_ext\n"
         "[ any_name ]\ncommonName = supplied\norganizationName = optional\norganizationalUnitName = optional\n"
         "[ req ]\ndistinguished_name = req_name\n[ req_name ]\n"
         "[ root_ext ]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n"
         "subjectKeyIdentifier = hash\n"
         "[ intermediate_ext ]\nbasicConstraints = critical,CA:TRUE,pathlen:0\n"
         "keyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n"
         "[ client_ext ]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\n"
         "extendedKeyUsage = clientAuth\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n"
         "[ server_ext ]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\n"
         "extendedKeyUsage = serverAuth\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n"
         "subjectAltName = IP:127.0.0.1,DNS:localhost\n"
         "[ crl_ext ]\nauthorityKeyIdentifier = keyid:always\n";
}

void must_run(const std::vector<std::string>& argv, const std::string& scratch) {
  const ChildOutcome outcome = run_child(argv, scratch);
  ASSERT_EQ(outcome.exit_code, 0) << argv[0] << " " << argv[1] << " failed:\n" << outcome.output;
}

void make_ca_directory(const std::string& dir) {
  std::filesystem::create_directories(dir + "/issued");
  write_text(dir + "/openssl.cnf", ca_config(dir));
  write_text(dir + "/index.txt", "");
  write_text(dir + "/serial", "1000\n");
  write_text(dir + "/crlnumber", "1000\n");
}

void make_root(const std::string& dir, const std::string& subject, const std::string& scratch) {
  make_ca_directory(dir);
  must_run({"openssl", "req", "-config", dir + "/openssl.cnf", "-x509", "-new", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir + "/ca.key", "-out", dir + "/ca.pem", "-subj", subject,
            "-days", "3650", "-extensions", "root_ext"},
           scratch);
}

// A key and a certificate request, then `openssl ca` under the CA in `ca_dir`.
void issue(const std::string& ca_dir, const std::string& subject, const std::string& extensions,
           const std::vector<std::string>& dates, const std::string& key_out, const std::string& cert_out,
           const std::string& scratch) {
  const std::string request = cert_out + ".csr";
  must_run({"openssl", "req", "-config", ca_dir + "/openssl.cnf", "-new", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:P-256", "-nodes", "-keyout", key_out, "-out", request, "-subj", subject},
           scratch);
  std::vector<std::string> argv = {"openssl", "ca", "-config", ca_dir + "/openssl.cnf", "-batch", "-notext",
                                   "-extensions", extensions, "-in", request, "-out", cert_out};
  argv.insert(argv.end(), dates.begin(), dates.end());
  must_run(argv, scratch);
}

}  // namespace

ChildOutcome run_child(const std::vector<std::string>& argv, const std::string& scratch_directory,
                       std::chrono::milliseconds timeout) {
  static int counter = 0;  // tests run on one thread
  const std::string output_path = scratch_directory + "/child-output-" + std::to_string(++counter) + ".txt";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ChildOutcome outcome;
  if (spawned != 0) {
    outcome.output = argv[0] + " could not be started (is it installed?)";
    return outcome;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      outcome.output = read_text(output_path) + "\n[killed after the timeout]";
      return outcome;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  outcome.output = read_text(output_path);
  return outcome;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

TestPki::TestPki() {
  std::string pattern = (std::filesystem::temp_directory_path() / "weftkit-pki-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return;
  }
  directory = pattern;
  const std::string root = directory + "/root", intermediate = directory + "/intermediate",
                    other = directory + "/other";
  make_root(root, "/CN=WeftKit Test Root CA", directory);
  make_root(other, "/CN=Other Root CA", directory);
  root_ca = root + "/ca.pem";
  other_root_ca = other + "/ca.pem";

  make_ca_directory(intermediate);
  issue(root, "/CN=WeftKit Test Intermediate CA", "intermediate_ext", {"-days", "3650"}, intermediate + "/ca.key",
        intermediate + "/ca.pem", directory);
  intermediate_ca = intermediate + "/ca.pem";

  struct Client {
    std::string name, ca_dir, subject, extensions;
    std::vector<std::string> dates;
  };
  const std::vector<Client> clients = {
      {"good", intermediate, "/O=acme/CN=alice", "client_ext", {"-days", "365"}},
      {"expired", intermediate, "/O=acme/CN=old alice", "client_ext",
       {"-startdate", "20200101000000Z", "-enddate", "20210101000000Z"}},
      {"not_yet_valid", intermediate, "/O=acme/CN=early alice", "client_ext",
       {"-startdate", "20300101000000Z", "-enddate", "20310101000000Z"}},
      {"revoked", intermediate, "/O=acme/CN=mallory", "client_ext", {"-days", "365"}},
      {"server_purpose", intermediate, "/O=acme/CN=db.example", "server_ext", {"-days", "365"}},
      {"no_tenant", intermediate, "/CN=bob", "client_ext", {"-days", "365"}},
      {"wrong_ca", other, "/O=acme/CN=eve", "client_ext", {"-days", "365"}},
  };
  for (const Client& client : clients) {
    issue(client.ca_dir, client.subject, client.extensions, client.dates, key(client.name), certificate(client.name),
          directory);
    const std::string issuer = client.ca_dir == intermediate ? read_text(intermediate_ca) : "";
    write_text(chain(client.name), read_text(certificate(client.name)) + issuer);
  }
  must_run({"openssl", "ca", "-config", intermediate + "/openssl.cnf", "-revoke", certificate("revoked")}, directory);
  crl = directory + "/intermediate-crl.pem";
  must_run({"openssl", "ca", "-config", intermediate + "/openssl.cnf", "-gencrl", "-out", crl}, directory);
  root_crl = directory + "/root-crl.pem";
  must_run({"openssl", "ca", "-config", root + "/openssl.cnf", "-gencrl", "-out", root_crl}, directory);

  server_certificate = directory + "/server.crt";
  server_key = directory + "/server.key";
  issue(root, "/CN=weftkit server one", "server_ext", {"-days", "365"}, server_key, server_certificate, directory);
  server2_certificate = directory + "/server2.crt";
  server2_key = directory + "/server2.key";
  issue(root, "/CN=weftkit server two", "server_ext", {"-days", "365"}, server2_key, server2_certificate, directory);
}

TestPki::~TestPki() {
  if (directory.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(directory, ignored);
}

}  // namespace weftkit::auth::testing
