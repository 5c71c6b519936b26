#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what it needs,
# builds with ASan+UBSan, runs every CTest label (unit, vm, interop, fuzz, bench).
#   scripts/test.sh                 everything
#   scripts/test.sh -L unit         only the unit tests (any ctest arguments pass through)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ISTHMUS_TEST_BUILD:-$root/build/test}

"$root/scripts/install-deps.sh"

start=$(date +%s)
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DISTHMUS_SANITIZE=ON -DISTHMUS_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
echo "test: build took $(( $(date +%s) - start )) s"

# ASan: fail on leaks and errors; UBSan: print the stack and fail.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

cd "$build"
# vm tests hold a resource lock so only one VM boots at a time; unit tests run beside them.
ctest --output-on-failure -j"$(nproc)" "$@"
