/* Starting an IOPM: real-mode start code below 1 MiB, a handoff block in the IOPM's zone,
 * INIT-SIPI-SIPI, then wait for the IOPM to report ready (channel status = 1 and an IPI). */
#include "vmm.h"
#include "shared_zone.h"
#include "lapic.h"
#include "irq.h"
#include "trace.h"
#include "klib.h"
#include "x86.h"
#include "iopm.h"

#define INIT_DELAY_US      10000u   /* INIT -> SIPI */
#define SIPI_DELAY_US      200u     /* SIPI -> second SIPI */
#define READY_TIMEOUT_MS   500u
#define START_ATTEMPTS     2u       /* the sequence once, and one retry */

extern const u8 trampoline_start[], trampoline_end[];

volatile u32 vmm_ipi_seen[MAX_IOPMS];

void trampoline_install(void)
{
    u32 n = (u32)(trampoline_end - trampoline_start);
    if (n > TRAMPOLINE_HANDOFF_SLOT_OFF) {
        klog("trampoline too large (%u bytes)\n", n);
        qemu_exit(1);
    }
    memcpy((void *)TRAMPOLINE_BASE, trampoline_start, n);
}

static void handoff_write(u32 k, u32 apic_id, const struct run_config *cfg)
{
    struct iopm_handoff *h = iopm_handoff_of(k);
    memset(h, 0, sizeof(*h));
    h->magic = HANDOFF_MAGIC;
    h->iopm = k;
    h->apic_id = apic_id;
    h->entry = (u32)iopm_entry;
    h->zone_start = IOPM_ZONE_START(k);
    h->zone_end = IOPM_ZONE_START(k) + IOPM_ZONE_SIZE;
    h->stack_top = h->zone_end;
    h->shared_zone = SHARED_ZONE_BASE;
    h->channel = (u32)vmm_channel(k);
    h->scenario = cfg->scenario;
    h->requests = cfg->requests;
    h->vmm_apic_id = lapic_id();
    h->vmm_vector = VMM_IPI_BASE + k;
    h->idle_us = cfg->iopm_idle_us;
    h->tsc_per_ms = (u32)tsc_per_ms();
    h->boot_ack = 0;
    h->diag_pc = RING_PC_RUN;
    *(volatile u32 *)(TRAMPOLINE_BASE + TRAMPOLINE_HANDOFF_SLOT_OFF) = (u32)h;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static int wait_ready(u32 k)
{
    struct channel *ch = vmm_channel(k);
    u64 end = rdtsc() + tsc_per_ms() * READY_TIMEOUT_MS;
    while (rdtsc() < end) {
        if (*(volatile u32 *)&ch->iopm.status == CHAN_STATUS_READY && vmm_ipi_seen[k])
            return 1;
        cpu_relax();
    }
    return 0;
}

int iopm_start(u32 k, u32 apic_id, const struct run_config *cfg)
{
    struct iopm_handoff *h = iopm_handoff_of(k);
    u32 f;

    for (u32 attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
        handoff_write(k, apic_id, cfg);
        f = trace_lock();
        trace_event(lapic_id(), "boot.ap_start", "iopm", k, "apic", apic_id, "attempt", attempt, NULL);
        trace_unlock(f);
        lapic_send_ipi(apic_id, ICR_INIT_ASSERT);
        pit_delay_us(INIT_DELAY_US);
        lapic_send_ipi(apic_id, ICR_INIT_DEASSERT);
        lapic_send_ipi(apic_id, ICR_STARTUP | TRAMPOLINE_SIPI_VECTOR);
        pit_delay_us(SIPI_DELAY_US);
        if (!h->boot_ack) {
            lapic_send_ipi(apic_id, ICR_STARTUP | TRAMPOLINE_SIPI_VECTOR);
            pit_delay_us(SIPI_DELAY_US);
        }
        if (wait_ready(k)) {
            klog("iopm %u up on apic %u (attempt %u)\n", k, apic_id, attempt);
            return 1;
        }
        klog("iopm %u on apic %u: no ready report (attempt %u)\n", k, apic_id, attempt);
    }
    f = trace_lock();
    trace_event(lapic_id(), "boot.iopm_failed", "iopm", k, "apic", apic_id, NULL);
    trace_unlock(f);
    return 0;
}
