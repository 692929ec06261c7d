// The SQL front end's entry point: policy SQL text in, AST (compiler/sql/ast.h) out.
#pragma once

#include <string>

#include "compiler/diag/result.h"
#include "compiler/sql/ast.h"

namespace weftkit::policy::sql {

// Parses a file of CREATE TABLE, ALTER TABLE ... ROW LEVEL SECURITY and CREATE / ALTER /
// DROP POLICY statements separated by ';'. `path` names the file in diagnostics; `text` is its
// content (UTF-8; a leading byte-order mark is ignored).
//
// Every error of the file is reported — at most one syntax error per statement, since parsing
// resumes after the next ';' — each as `path:line:col: error: message` at the offending token,
// and then no Script is returned. Warnings (an identifier truncated to 63 bytes) may come with
// a successful result.
Result<Script> parse_sql(const std::string& path, const std::string& text);

}  // namespace weftkit::policy::sql
