#!/usr/bin/env bash
# Real fuzzing of one harness for N seconds (Jazzer, through Maven/JUnit):
#   fuzz/fuzz.sh TARGET SECONDS
# TARGET:
#   java     HostilePeerJavaFuzzTest#hostilePeer        hostile peer vs the Java consumer loops
#   c-vmm    HostilePeerNativeFuzzTest#iopmAttacksVmm   hostile IOPM vs the C VMM side (ring.c)
#   c-iopm   HostilePeerNativeFuzzTest#vmmAttacksIopm   hostile VMM vs the C IOPM side (ring.c)
#   c-mgmt   HostileConsoleNativeFuzzTest#consoleAttacksVmm  hostile console vs the C VMM side of the management ring (mgmt_ring.c)
#   diff     DifferentialRingFuzzTest#cVersusModel      C ring vs the Java model of CoopRing.tla
#   guest    GuestFuzzTest#guestScript                  runs of the real VMM under QEMU, conformance-checked (slow)
# Environment:
#   MUTANT=<name>            fuzz a ring or management ring mutant of reference-vmm/mutants.txt (C targets)
#   CONSUMER_VARIANT=<name>  planted bug of the Java consumer (java target): TRUST_PEER_INDEX,
#                            DOUBLE_FETCH, NO_ID_CHECK
#   NO_CORPUS=1              start from nothing: hide the committed seeds and .cifuzz-corpus
# Jazzer's own output is kept (exec/s, cov, corp lines) and logged to
# reports/fuzz/logs/; a summary follows. Findings (crash files) are moved to
# reports/fuzz/findings/TARGET/ with a one-line reproducer. Exit 0 when nothing was found,
# 1 on a finding, 2 on a usage or build error.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
usage() { sed -n '2,19p' "$0" >&2; exit 2; }
[ $# -eq 2 ] || usage
TARGET="$1"; SECS="$2"
[[ "$SECS" =~ ^[0-9]+$ ]] && [ "$SECS" -gt 0 ] || usage
case "$TARGET" in
  java)   CLASS=HostilePeerJavaFuzzTest;   METHOD=hostilePeer ;;
  c-vmm)  CLASS=HostilePeerNativeFuzzTest; METHOD=iopmAttacksVmm ;;
  c-iopm) CLASS=HostilePeerNativeFuzzTest; METHOD=vmmAttacksIopm ;;
  c-mgmt) CLASS=HostileConsoleNativeFuzzTest; METHOD=consoleAttacksVmm ;;
  diff)   CLASS=DifferentialRingFuzzTest;  METHOD=cVersusModel ;;
  guest)  CLASS=GuestFuzzTest;             METHOD=guestScript ;;
  *) usage ;;
esac
MUTANT="${MUTANT:-}"
VARIANT="${CONSUMER_VARIANT:-REFERENCE}"
PKG=coopvmm/fuzz
INPUTS="$HERE/src/test/resources/$PKG/${CLASS}Inputs/$METHOD"
GEN="$HERE/.cifuzz-corpus/coopvmm.fuzz.$CLASS/$METHOD"
LOGDIR="$ROOT/reports/fuzz/logs"; FINDDIR="$ROOT/reports/fuzz/findings/$TARGET"
mkdir -p "$LOGDIR"
STAMP="$(date +%Y%m%d-%H%M%S)"
TAG="$TARGET${MUTANT:+-$MUTANT}$([ "$VARIANT" != REFERENCE ] && echo "-$VARIANT")"
LOG="$LOGDIR/$TAG-$STAMP.log"

MVN_ARGS=(-B -Dstyle.color=never -pl fuzz -am test
  "-Dtest=$CLASS#$METHOD" -Dsurefire.failIfNoSpecifiedTests=false
  "-Djazzer.max_duration=${SECS}s" "-Dcoopvmm.fuzz.consumerVariant=$VARIANT")
LIB="$HERE/target/native/libcoopring.so"
if [ -n "$MUTANT" ] && [ "$TARGET" = guest ]; then
  # The guest target boots a mutant build of the whole reference VMM.
  make -s -C "$ROOT/reference-vmm" "MUTANT=$MUTANT" >&2 || exit 2
  MVN_ARGS+=("-Dcoopvmm.guest.image=$ROOT/reference-vmm/build/coopvmm-$MUTANT.elf")
elif [ -n "$MUTANT" ]; then
  [ "$TARGET" = java ] && { echo "fuzz.sh: MUTANT applies to the C targets only" >&2; exit 2; }
  LIBDIR="$HERE/target/native-mutants/$MUTANT"
  bash "$HERE/native/build.sh" "$LIBDIR" "$MUTANT" >&2 || exit 2
  [ -f "$LIBDIR/libcoopring.so" ] || { cat "$LIBDIR/UNAVAILABLE" >&2; exit 2; }
  LIB="$LIBDIR/libcoopring.so"
  MVN_ARGS+=("-Dcoopvmm.native.lib=$LIB")
fi

MARK="$(mktemp)"; HIDDEN=""
restore() {
  if [ -n "$HIDDEN" ] && [ -d "$HIDDEN" ]; then
    rm -rf "$GEN"; mkdir -p "$(dirname "$GEN")"
    [ -d "$HIDDEN/gen" ] && mv "$HIDDEN/gen" "$GEN"
    [ -d "$HIDDEN/inputs" ] && { rm -rf "$INPUTS"; mv "$HIDDEN/inputs" "$INPUTS"; }
    rm -rf "$HIDDEN"
  fi
  rm -f "$MARK"
}
trap restore EXIT
if [ "${NO_CORPUS:-}" = 1 ]; then
  HIDDEN="$(mktemp -d)"
  [ -d "$GEN" ] && mv "$GEN" "$HIDDEN/gen"
  # jazzer-junit reads (and writes crash files to) the source inputs folder in fuzzing mode
  [ -d "$INPUTS" ] && mv "$INPUTS" "$HIDDEN/inputs"
  rm -rf "$HERE/target/test-classes/$PKG/${CLASS}Inputs"
  MVN_ARGS+=(-Dmaven.resources.skip=true)
fi

echo "fuzz.sh: $TARGET ($CLASS#$METHOD) for ${SECS}s${MUTANT:+, ring mutant $MUTANT}$([ "$VARIANT" != REFERENCE ] && echo ", consumer variant $VARIANT"); log $LOG"
START=$(date +%s.%N)
# Jazzer's output, with the seconds since fuzzing started (INITED) noted on the finding
# (each log line starts with its wall-clock time, for the time-to-finding)
(cd "$ROOT" && JAZZER_FUZZ=1 mvn "${MVN_ARGS[@]}" 2>&1; echo "MVN_EXIT=$?") | \
  while IFS= read -r line; do
    printf '%s %s\n' "$EPOCHREALTIME" "$line" >> "$LOG"
    case "$line" in [[:space:]]at\ *|*"# Uses:"*|"[INFO] Download"*) ;; *) printf '%s\n' "$line" ;; esac
  done
RC=$(grep -o 'MVN_EXIT=[0-9]*' "$LOG" | tail -1 | cut -d= -f2)

DONE_LINE="$(grep -E '#[0-9]+\s+DONE' "$LOG" | tail -1 | cut -d' ' -f2-)"
[ -z "$DONE_LINE" ] && DONE_LINE="$(grep -E '^[0-9.]+ #[0-9]+\s' "$LOG" | tail -1 | cut -d' ' -f2-)"
T0="$(grep -m1 -E 'INFO: Seed: ' "$LOG" | cut -d' ' -f1)"
TF="$(grep -m1 -E 'Java Exception|DEADLYSIGNAL|ERROR: libFuzzer|runtime error:|UndefinedBehaviorSanitizer|AddressSanitizer|FuzzTestFindingException' "$LOG" | cut -d' ' -f1)"
CRASHES=()
while IFS= read -r f; do CRASHES+=("$f"); done < <(find "$INPUTS" "$HERE" -maxdepth 1 -name 'crash-*' -newer "$MARK" 2>/dev/null)
echo
echo "== fuzz.sh summary: $TAG, ${SECS}s"
if [ -n "$DONE_LINE" ]; then
  echo "   last stats: $DONE_LINE"
  echo "   exec/s: $(echo "$DONE_LINE" | grep -o 'exec/s: [0-9]*' | cut -d' ' -f2)  cov: $(echo "$DONE_LINE" | grep -o 'cov: [0-9]*' | cut -d' ' -f2)  corpus: $(echo "$DONE_LINE" | grep -o 'corp: [0-9/a-zA-Z]*' | cut -d' ' -f2)"
fi
echo "   generated corpus: $(ls "$GEN" 2>/dev/null | wc -l) files in ${GEN#$ROOT/}"
if [ ${#CRASHES[@]} -gt 0 ] || [ "$RC" != 0 ]; then
  mkdir -p "$FINDDIR"
  for f in "${CRASHES[@]}"; do
    b="$TAG-$(basename "$f")"
    mv "$f" "$FINDDIR/$b"
    echo "   FINDING: ${FINDDIR#$ROOT/}/$b"
    echo "   reproduce: cp ${FINDDIR#$ROOT/}/$b ${INPUTS#$ROOT/}/ && $( [ -n "$MUTANT" ] && echo "fuzz/native/build.sh fuzz/target/native-mutants/$MUTANT $MUTANT && ")mvn -pl fuzz -am test -Dtest=$CLASS#$METHOD -Dsurefire.failIfNoSpecifiedTests=false$( [ -n "$MUTANT" ] && echo " -Dcoopvmm.native.lib=\$PWD/fuzz/target/native-mutants/$MUTANT/libcoopring.so")$( [ "$VARIANT" != REFERENCE ] && echo " -Dcoopvmm.fuzz.consumerVariant=$VARIANT")"
  done
  [ -n "$T0" ] && [ -n "$TF" ] && echo "   found after: $(awk -v a="$T0" -v b="$TF" 'BEGIN{printf "%.1f", b-a}') s of fuzzing"
  { grep -m1 -E 'AssertionError: .' "$LOG" || grep -m1 -E 'Exception: .|ERROR: (libFuzzer|UndefinedBehaviorSanitizer|AddressSanitizer)|runtime error:|SIGSEGV|DEADLYSIGNAL' "$LOG"; } \
    | cut -d' ' -f2- | cut -c1-300 | sed 's/^/   what: /'
  [ ${#CRASHES[@]} -eq 0 ] && echo "   (maven failed without a crash file: see $LOG)"
  exit 1
fi
echo "   no finding"
exit 0
