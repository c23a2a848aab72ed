# One interface target carries the compile settings every target of ours links.
add_library(tfjs_settings INTERFACE)
target_compile_features(tfjs_settings INTERFACE cxx_std_23)
set(CMAKE_CXX_STANDARD 23)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_options(tfjs_settings INTERFACE -Wall -Wextra -Werror)
target_compile_definitions(tfjs_settings INTERFACE
    QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER QT_NO_FOREACH)
if(TFJS_SANITIZE)
    target_compile_options(tfjs_settings INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(tfjs_settings INTERFACE -fsanitize=address,undefined)
    # Tests that measure time report instead of asserting under the sanitizers' slowdown.
    target_compile_definitions(tfjs_settings INTERFACE TFJS_SANITIZED)
endif()
if(TFJS_FUZZ)
    # Coverage for libFuzzer in every library of ours; fuzz/ links the engine itself
    # (-fsanitize=fuzzer). fuzz/compat stands in for <expected> under clang 14.
    target_compile_options(tfjs_settings INTERFACE
        -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
        -fno-omit-frame-pointer)
    target_link_options(tfjs_settings INTERFACE -fsanitize=address,undefined)
    target_include_directories(tfjs_settings BEFORE INTERFACE ${PROJECT_SOURCE_DIR}/fuzz/compat)
    target_compile_definitions(tfjs_settings INTERFACE TFJS_SANITIZED TFJS_FUZZING)
endif()
