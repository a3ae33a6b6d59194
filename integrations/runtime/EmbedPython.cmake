# cmake -DINPUT=file.py -DOUTPUT=file.inc -DVARIABLE=Name -P EmbedPython.cmake
# Writes a C++ raw string literal holding INPUT, so the memlint binary carries the runtime helper
# and works wherever it is installed.
file(READ "${INPUT}" CONTENT)
string(FIND "${CONTENT}" ")memlint_py\"" CLASH)
if(NOT CLASH EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )memlint_py\"")
endif()
get_filename_component(NAME "${INPUT}" NAME)
file(WRITE "${OUTPUT}.tmp"
     "// Generated from ${NAME} by EmbedPython.cmake; do not edit.\n"
     "static const char ${VARIABLE}[] = R\"memlint_py(${CONTENT})memlint_py\";\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
