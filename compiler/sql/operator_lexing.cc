// PostgreSQL's operator-splitting rule (the {operator} action of scan.l).
#include "compiler/sql/operator_lexing.h"

namespace weftkit::policy::sql {
namespace {

bool is_plus_or_minus(char c) { return c == '+' || c == '-'; }

// Characters that let an operator end in + or - (PostgreSQL lists exactly these).
bool allows_trailing_sign(char c) {
  switch (c) {
    case '~': case '!': case '@': case '#': case '^': case '&': case '|': case '`': case '?': case '%':
      return true;
    default:
      return false;
  }
}

}  // namespace

size_t pg_operator_length(std::string_view run) {
  size_t length = run.size();
  size_t comment = run.find("/*", 1);
  size_t dashes = run.find("--", 1);
  if (comment != std::string_view::npos && comment < length) length = comment;
  if (dashes != std::string_view::npos && dashes < length) length = dashes;

  if (length > 1 && is_plus_or_minus(run[length - 1])) {
    bool keeps_sign = false;
    for (size_t i = 0; i + 1 < length; ++i) {
      if (allows_trailing_sign(run[i])) {
        keeps_sign = true;
        break;
      }
    }
    if (!keeps_sign) {
      do {
        --length;
      } while (length > 1 && is_plus_or_minus(run[length - 1]));
    }
  }
  return length;
}

}  // namespace weftkit::policy::sql
