# Runs the C example (PROGRAM) on the example policies and fails unless it exits 0 and its
# stdout is exactly EXPECTED without its comment lines (lines starting with '#', which say why
# each answer is right; the program never prints one). On a difference, prints a unified diff
# and keeps the actual output next to it as actual_output.txt.
execute_process(COMMAND ${PROGRAM} roles.yaml policies.sql
                OUTPUT_VARIABLE actual ERROR_VARIABLE errors RESULT_VARIABLE exit_status)
if(NOT exit_status EQUAL 0)
  message(FATAL_ERROR "embed_check exited with ${exit_status}\nstdout:\n${actual}\nstderr:\n${errors}")
endif()
file(READ ${EXPECTED} expected)
# A newline in front lets one pattern remove a comment on the first line too.
string(REGEX REPLACE "\n#[^\n]*" "" expected "\n${expected}")
string(SUBSTRING "${expected}" 1 -1 expected)
if(NOT actual STREQUAL expected)
  file(WRITE expected_output.txt "${expected}")
  file(WRITE actual_output.txt "${actual}")
  execute_process(COMMAND diff -u expected_output.txt actual_output.txt)
  message(FATAL_ERROR "embed_check's output differs from ${EXPECTED} (diff above; stderr: ${errors})")
endif()
