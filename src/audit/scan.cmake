# scan.cmake - the active half of the audit toolkit: `pptpkit scan` and
# `pptpkit bitflip` (src/audit/scan*.c, src/audit/bitflip*.c,
# src/cmd/cmd_scan.c, src/cmd/cmd_bitflip.c) and their tests. Included
# at the end of the top-level CMakeLists.txt, after the engine, the glue,
# the unit tests and the fuzz targets are defined.

pkg_check_modules(NFQ REQUIRED IMPORTED_TARGET libnetfilter_queue)

file(GLOB SCAN_SOURCES CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/src/audit/scan*.c
  ${CMAKE_SOURCE_DIR}/src/audit/bitflip*.c)
add_library(pptpkit_scan STATIC ${SCAN_SOURCES})
target_link_libraries(pptpkit_scan PUBLIC pptpkit_linux PkgConfig::NFQ)

target_sources(pptpkit PRIVATE ${CMAKE_SOURCE_DIR}/src/cmd/cmd_scan.c
  ${CMAKE_SOURCE_DIR}/src/cmd/cmd_bitflip.c)
target_link_libraries(pptpkit pptpkit_scan)

# The unit tests of these files are globbed with the others; they also
# need this library.
foreach(t test_scan_reply test_scan_probe test_bitflip)
  if(TARGET ${t})
    target_link_libraries(${t} pptpkit_scan)
  endif()
endforeach()

# End to end in network namespaces (root): scan against pptpkitd with
# several policies, cross-checked with nmap; the bit-flipping demo.
foreach(suite scan bitflip)
  add_test(NAME audit.${suite}
    COMMAND bash ${CMAKE_SOURCE_DIR}/tests/audit/${suite}.sh)
  set_tests_properties(audit.${suite} PROPERTIES LABELS netns TIMEOUT 900
    RUN_SERIAL TRUE ENVIRONMENT "PK_BUILD=${CMAKE_BINARY_DIR}")
endforeach()

# Against pptpd + pppd in the qemu guest (tests/interop/README.md).
add_test(NAME interop.scan
  COMMAND bash ${CMAKE_SOURCE_DIR}/tests/interop/scan.sh)
set_tests_properties(interop.scan PROPERTIES LABELS interop RUN_SERIAL TRUE
  TIMEOUT 900 ENVIRONMENT "PK_BUILD=${CMAKE_BINARY_DIR}")
