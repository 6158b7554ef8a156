# ocular_library(NAME [RECURSE] [DEPS ...]): a static library from every *.cc in the current
# source directory (RECURSE: and in its sub-folders, for a library grouped by family). Files are
# globbed, so adding a file needs no CMake edit (re-run cmake to pick it up; CONFIGURE_DEPENDS
# makes the build do that itself).
function(ocular_library name)
  cmake_parse_arguments(ARG "RECURSE" "" "DEPS" ${ARGN})
  if(ARG_RECURSE)
    file(GLOB_RECURSE srcs CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cc")
  else()
    file(GLOB srcs CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cc")
  endif()
  if(NOT srcs)
    # A directory with headers only (or nothing yet) still gives a target others can link.
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE "${PROJECT_SOURCE_DIR}/src" "${PROJECT_SOURCE_DIR}")
    target_link_libraries(${name} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC "${PROJECT_SOURCE_DIR}/src" "${PROJECT_SOURCE_DIR}")
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# ocular_test_suite(AREA [DEPS ...] [LABELS ...]): one GoogleTest binary, ocular_<AREA>_tests,
# from tests/<...>/<AREA>/*_test.cc, registered with CTest under the given labels (default: unit).
# Tests run with the source tree as working directory and OCULAR_SOURCE_DIR set.
function(ocular_test_suite area)
  cmake_parse_arguments(ARG "" "" "DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  file(GLOB srcs CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/${area}/*.cc")
  if(NOT srcs)
    return()
  endif()
  set(target ocular_${area}_tests)
  add_executable(${target} ${srcs})
  target_link_libraries(${target} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${target} PRIVATE
    OCULAR_SOURCE_DIR="${PROJECT_SOURCE_DIR}" OCULAR_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${target}
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    PROPERTIES LABELS "${ARG_LABELS}" ENVIRONMENT "OCULAR_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
    DISCOVERY_TIMEOUT 60)
  if("unit" IN_LIST ARG_LABELS)
    add_dependencies(ocular_unit_tests ${target})
  endif()
endfunction()
