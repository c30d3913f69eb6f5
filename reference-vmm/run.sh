#!/bin/sh
# Boot one image under QEMU (manual use; the Java harness launches QEMU with the same flags).
# -cpu max: every feature TCG emulates, AMD SVM among them (scenario vm-io).
#   run.sh IMAGE SMP "APPEND" OUTDIR [TIMEOUT_S] [extra qemu args...]
# Writes OUTDIR/trace.log (debugcon), OUTDIR/serial.log (COM1), OUTDIR/exit (QEMU's status).
# QEMU's exit status is (code << 1) | 1 when the guest wrote code to isa-debug-exit:
# 1 = run.end status 0; 0 = the guest never wrote it (crash, hang killed by timeout: 124).
# Deterministic mode: EXTRA="-icount shift=7,sleep=off -rtc clock=vm,base=2020-01-01"
# and ACCEL="tcg,thread=single".
set -u
if [ $# -lt 4 ]; then
    echo "usage: $0 IMAGE SMP APPEND OUTDIR [TIMEOUT_S] [extra qemu args...]" >&2
    exit 2
fi
image=$1 smp=$2 append=$3 out=$4 to=${5:-30}
shift 4; [ $# -gt 0 ] && shift
accel=${ACCEL:-tcg,thread=multi}
mkdir -p "$out"
rm -f "$out/trace.log" "$out/serial.log"
timeout "$to" qemu-system-i386 -accel "$accel" -cpu max -smp "$smp" -m 128 \
    -kernel "$image" -append "$append" \
    -display none -monitor none \
    -serial "file:$out/serial.log" -debugcon "file:$out/trace.log" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -device edu -device pc-testdev -no-reboot ${EXTRA:-} "$@"
rc=$?
echo "$rc" > "$out/exit"
exit $rc
