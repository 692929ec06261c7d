// A minimal JSON object writer for audit records: members appended in a fixed order, strings
// escaped so that no value can end the line, close the string or forge a member.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace weftkit::audit {

// Appends `value` as a JSON string (quotes included). `"` and `\` are escaped, control
// characters (U+0000-U+001F, U+007F) and the JavaScript line separators U+2028/U+2029 become
// \uXXXX (or \n, \r, \t, \b, \f), and each byte that is not part of valid UTF-8 (overlong
// forms, surrogates, code points above U+10FFFF, cut sequences) becomes \ufffd.
void append_json_string(std::string& out, std::string_view value);

// Builds `{"a":...,"b":...` member by member; the caller closes it with `}`. Member names are
// the record's own fixed names (plain ASCII letters, digits and `_`), so they are copied as they
// are: escaping a dozen constant names per record was a measurable part of the writer's time.
class JsonLine {
 public:
  explicit JsonLine(std::string& out) : out_(out) { out_.push_back('{'); }
  void string_member(std::string_view name, std::string_view value);
  void number_member(std::string_view name, uint64_t value);
  // A string member whose value `append_value()` appends itself and which needs no escaping.
  template <typename AppendValue>
  void raw_string_member(std::string_view member_name, AppendValue&& append_value) {
    name(member_name);
    out_.push_back('"');
    append_value();
    out_.push_back('"');
  }

 private:
  void name(std::string_view member_name);
  std::string& out_;
  bool first_ = true;
};

}  // namespace weftkit::audit
