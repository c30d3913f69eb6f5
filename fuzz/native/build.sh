#!/usr/bin/env bash
# Builds the JNI library of the C ring for the fuzz harnesses:
#   fuzz/native/build.sh [OUT_DIR] [MUTANT]
# OUT_DIR defaults to fuzz/target/native; MUTANT is a name of reference-vmm/mutants.txt
# (empty: the reference code). reference-vmm/ring/ring.c and ring/mgmt_ring.c (the
# management ring) are compiled as they are, for the host (-DRING_HOST), with clang's
# -fsanitize=fuzzer-no-link (coverage for Jazzer) and UBSan.
# Without clang (or without a JDK's jni.h) it writes OUT_DIR/UNAVAILABLE with the reason
# and exits 0: the native harnesses then skip (JUnit assumption) instead of failing.
# SAN=none builds without UBSan. (No AddressSanitizer: an ASan report kills the forked test
# JVM; the channel page has PROT_NONE guard pages on both sides instead.)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FUZZ="$(dirname "$HERE")"
ROOT="$(dirname "$FUZZ")"
OUT="${1:-$FUZZ/target/native}"
MUTANT="${2:-}"
SAN="${SAN:-ubsan}"
CC="${CLANG:-clang}"
mkdir -p "$OUT"
rm -f "$OUT/UNAVAILABLE"

unavailable() {
  echo "native ring library not built: $*" | tee "$OUT/UNAVAILABLE" >&2
  rm -f "$OUT/libcoopring.so"
  exit 0
}

command -v "$CC" >/dev/null 2>&1 || unavailable "clang not found (apt-get install clang libclang-rt-dev)"

JH="${JAVA_HOME:-}"
if [ -z "$JH" ] || [ ! -f "$JH/include/jni.h" ]; then
  JH="$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v java)")")")"
fi
[ -f "$JH/include/jni.h" ] || unavailable "jni.h not found (set JAVA_HOME to a JDK)"

MFLAGS=()
NAME=ref
if [ -n "$MUTANT" ]; then
  grep -qx -- "$MUTANT" <(grep -v '^#' "$ROOT/reference-vmm/mutants.txt") \
    || { echo "unknown mutant '$MUTANT' (see reference-vmm/mutants.txt)" >&2; exit 2; }
  MFLAGS=("-DMUTANT_$(echo "$MUTANT" | tr 'a-z-' 'A-Z_')")
  NAME="$MUTANT"
fi

case "$SAN" in
  ubsan) SANFLAGS=(-fsanitize=fuzzer-no-link,undefined -fno-sanitize-recover=undefined -shared-libsan) ;;
  none)  SANFLAGS=(-fsanitize=fuzzer-no-link) ;;
  *) echo "SAN must be ubsan or none" >&2; exit 2 ;;
esac
RTDIR="$("$CC" -print-runtime-dir 2>/dev/null)"
[ -n "$RTDIR" ] && [ -d "$RTDIR" ] || RTDIR="$(dirname "$("$CC" -print-file-name=libclang_rt.ubsan_standalone-x86_64.so)")"
# the fuzzer-no-link instrumentation needs no runtime at link time; the sanitizer runtimes do
if ! echo 'int main(void){return 0;}' | "$CC" -x c - -o "$OUT/.probe" "${SANFLAGS[@]/-fsanitize=fuzzer-no-link,/-fsanitize=}" >/dev/null 2>&1; then
  echo "warning: the UBSan runtime is missing (libclang-rt-dev): building without UBSan" >&2
  SANFLAGS=(-fsanitize=fuzzer-no-link); SAN=none
fi
rm -f "$OUT/.probe"

set -e
"$CC" -std=gnu11 -O1 -g -fPIC -shared -Wall -Wextra -Werror -fno-omit-frame-pointer \
  "${SANFLAGS[@]}" -DRING_HOST "${MFLAGS[@]}" -DCOOP_FUZZ_BUILD="\"$NAME\"" \
  -I"$ROOT/reference-vmm/include" -I"$JH/include" -I"$JH/include/linux" \
  -include "$FUZZ/src/main/c/hostile_arch.h" \
  -Wl,-rpath,"$RTDIR" \
  -o "$OUT/libcoopring.so.tmp" \
  "$ROOT/reference-vmm/ring/ring.c" "$FUZZ/src/main/c/ring_jni.c" \
  "$ROOT/reference-vmm/ring/mgmt_ring.c" "$FUZZ/src/main/c/mgmt_jni.c" "$FUZZ/src/main/c/page_jni.c"
mv "$OUT/libcoopring.so.tmp" "$OUT/libcoopring.so"
echo "$NAME $SAN" > "$OUT/BUILD"
echo "built $OUT/libcoopring.so (ring.c and mgmt_ring.c: $NAME, sanitizers: $SAN)"
