// What generated predicate code calls back into, and the messages of its error codes
// (predicate_abi.h). No LLVM here.
#include <string>

#include "codegen/native/predicate_abi.h"
#include "compiler/values/operations.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy::native {

const char* native_error_message(uint32_t error) {
  switch (error) {
    case kNoError: return "";
    case kDivisionByZero: return "division by zero";
    case kSmallintOutOfRange: return "smallint out of range";
    case kIntegerOutOfRange: return "integer out of range";
    case kBigintOutOfRange: return "bigint out of range";
    case kFloatOverflow: return "value out of range: overflow";
    case kFloatUnderflow: return "value out of range: underflow";
    case kLikeEndsWithEscape: return "LIKE pattern must not end with escape character";
    case kInvalidEscapeString: return "invalid escape string";
    case kDateOutOfRangeForTimestamp: return "date out of range for timestamp";
    case kOutOfMemory: return "out of memory";
    case kDateOutOfRange: return "date out of range";
    case kCannotSubtractInfiniteDates: return "cannot subtract infinite dates";
    case kHelperRaised: return "internal error: a helper's error reached the host without its error site";
    default: return "internal error: unknown error code in generated code";
  }
}

// Called from generated code: no exception may cross back into it.
extern "C" int32_t weftkit_like(const char* text, int64_t text_length, const char* pattern, int64_t pattern_length,
                                const char* escape, int64_t escape_length, uint32_t flags) {
  try {
    std::optional<std::string> escape_text;
    if ((flags & 2u) != 0) escape_text.emplace(escape, static_cast<size_t>(escape_length));
    bool matched = like_matches(std::string_view(text, static_cast<size_t>(text_length)),
                                std::string_view(pattern, static_cast<size_t>(pattern_length)), escape_text,
                                (flags & 1u) != 0);
    return matched ? 1 : 0;
  } catch (const SqlError& error) {
    std::string message = error.what();
    if (message == native_error_message(kInvalidEscapeString)) return kInvalidEscapeString;
    return kLikeEndsWithEscape;
  } catch (...) {
    return kOutOfMemory;  // the only other way out; never unwind through generated frames
  }
}

}  // namespace weftkit::policy::native
