/* Guest vCPUs under SVM on the BSP, and the VMM's side of the guest I/O protocol
 * (specs/GuestIo.tla): each vCPU runs the spec's program, NInsn port-I/O instructions
 * (`out imm8, al` or `in al, imm8`) on the registers of disk controllers, five a disk in
 * turn (SEL, DATA out, STATUS, SEL, DATA in), from guest address GUEST_PROGRAM_BASE, then its
 * own check of its data (AL still its id: the spec's GuestCheck) and `hlt`. An I/O exit is captured (vmm_capture_exit), written as a
 * PKT_GUEST_PIO request on the ring of the IOPM that owns the port (vmm_submit_exit), and
 * the vCPU waits; the IOPM's response completes it (vmm_complete_exit: IN data into AL,
 * RIP past the instruction) and the VMM re-enters the guest (vmm_resume_guest). */
#ifndef COOP_VCPU_H
#define COOP_VCPU_H

#include "types.h"
#include "shared_zone.h"

#define VCPU_MAX             8u
#define DEFAULT_VCPUS        4u
#define DEFAULT_INSNS        65u       /* thirteen rounds of the program's five */
/* The guest platform: device d (0-based) is a disk controller whose register r is port
 * GUEST_PIO_PORT_BASE + d * DISK_REGS + r (the spec's Reg). */
#define GUEST_PIO_PORT_BASE  0x10u
#define GUEST_DEV_MAX        8u
#define DISK_REG_SEL         0u        /* out: select the sector AL names */
#define DISK_REG_DATA        1u        /* out: write AL to the selected sector; in: read it */
#define DISK_REG_STATUS      2u        /* in: the sector the last DATA command completed on */
#define DISK_REGS            3u
#define DISK_SECTORS         (VCPU_MAX + 1u)   /* the spec's Sect: 0 .. NVcpu, an id selects one */
#define DISK_INSNS_PER_ROUND 5u        /* the spec's Step(k) = (k - 1) % 5 */
#define GUEST_PROGRAM_BASE   256u      /* the spec's Base */
#define GUEST_MEM_SIZE       0x1000u   /* a guest's memory: one page, its segment limit */
#define GUEST_INSN_BYTES     2u        /* the spec's ILen: opcode, imm8 port */
#define GUEST_CHECK_BYTES    6u        /* the guest's check of its data, at the program's end */
#define GUEST_INSNS_MAX      ((GUEST_MEM_SIZE - GUEST_PROGRAM_BASE - GUEST_CHECK_BYTES) / GUEST_INSN_BYTES)

/* PKT_GUEST_PIO payload: request vcpu, rip, data; response vcpu, rip, result (u32 each);
 * arg0 is the device (bits 0-7), the register (bits 8-15) and, in bit 16, IN. */
#define PIO_ARG_IN           (1u << 16)
#define PIO_ARG_DEV_MASK     0xFFu
#define PIO_ARG_REG_SHIFT    8u
#define PIO_ARG_REG_MASK     0xFFu

/* The disk controllers, in device memory (GUEST_DEV_ZONE, include/zones.h): each disk's
 * sectors, and each guest's SEL and STATUS registers on it (the spec's Disks). */
struct guest_disks {
    u32 sect[GUEST_DEV_MAX][DISK_SECTORS];
    u32 sel[GUEST_DEV_MAX][VCPU_MAX];
    u32 stat[GUEST_DEV_MAX][VCPU_MAX];
};
#define PIO_OFF_VCPU         0u
#define PIO_OFF_RIP          4u
#define PIO_OFF_VALUE        8u
#define PIO_PAYLOAD_LEN      12u

/* vm-admin: IOPM 0's user interface is the console (GuestIo's Console), and the last vCPU
 * the VM it manages (GuestIo's Managed, NAdmin = 1). */
#define CONSOLE_IOPM         0u

struct run_config;
struct mgmt_cmd;

/* 1 if SVM is there and the guests are built (the "# guestio" line traced); 0 if this CPU
 * has no SVM (QEMU needs -cpu max). */
int vcpus_init(const struct run_config *cfg, u32 iopms);
/* Requests the guests' programs will send IOPM k (the channel's MaxReq). */
u32 vcpu_exits_to(u32 k);
/* Re-enters every vCPU whose exit is completed (VmmResumeGuest); returns how many. */
u32 vcpus_resume(void);
/* Runs every vCPU that may run to its next exit; returns the steps taken. A guest that did something the VMM does not allow (an exit it does not
 * emulate, I/O to no device, more exits than its program, running code that does not exit)
 * is stopped for good (VmmStopGuest, traced) and named in
 * *stopped (else ~0u); the caller decides whether the run goes on. */
u32 vcpus_run(u32 *stopped);
/* The I/O exits stopped vCPU v's program had still to make on IOPM k. */
u32 vcpu_exits_left(u32 v, u32 k);
/* 1 if VM v has an exit in flight (GuestIo's InExit): a command for it waits. */
int vcpu_in_exit(u32 v);
/* Under the trace lock: VmmCarryOutCommand of command *c from IOPM k's management ring,
 * traced; returns 1 if carried out, 0 if refused (the VM's state does not allow it, or the
 * command names no managed VM). The caller checked vcpu_in_exit first. A destroy sets
 * *destroyed (the VM's remaining exits come off its IOPMs' shares: vcpu_exits_left). */
int vmm_carry_out_command(u32 cpu, u32 k, const struct mgmt_cmd *c, int *destroyed);
/* Guests whose own check of their data failed (traced by guest.check pass=0). */
u32 vcpus_checks_failed(void);
/* Some guest has not halted yet; some vCPU waits for an answer. */
int vcpus_busy(void);
/* vm-admin: the managed VM is not destroyed yet (its script is not done, even once it halted). */
int vcpu_managed_alive(void);
int vcpus_waiting(void);

/* The oldest captured exit routed to IOPM k, as a request packet; 0 if none. */
int vcpu_next_request(u32 k, struct packet *req);
/* Under the trace lock, after that request was written on k's ring: VmmSubmitExit. */
void vmm_submit_exit(u32 cpu, u32 k);
/* Under the trace lock, after IOPM f's ring requests were re-queued to `to`, `reissued` of
 * them the guests': VmmFailover (f's devices and the exits captured for it go to `to`).
 * Returns the guests' exits f was still to get, which `to` will get instead. */
u32 vmm_failover(u32 cpu, u32 f, u32 to, u32 reissued);
/* Under the trace lock, after a guest response was consumed from k's ring:
 * VmmCompleteExit. NULL, or why the response is wrong (the caller ends the run). */
const char *vmm_complete_exit(u32 cpu, u32 k, const struct packet *rsp);

#endif
