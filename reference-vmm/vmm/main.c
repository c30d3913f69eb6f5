/* kmain: the VMM's boot on the BSP. */
#include "vmm.h"
#include "multiboot.h"
#include "shared_zone.h"
#include "lapic.h"
#include "ioapic.h"
#include "irq.h"
#include "trace.h"
#include "status.h"
#include "klib.h"
#include "x86.h"
#include "irq_route.h"
#include "litmus.h"
#include "vcpu.h"

#ifndef BUILD_ID
#define BUILD_ID "ref"
#endif

#define FIRST_AP_APIC_ID 1u   /* QEMU numbers CPUs' APIC ids 0 .. n-1; 0 is the BSP */

static char cmdline[CMDLINE_MAX];

void kmain(u32 magic, const struct multiboot_info *mbi)
{
    struct run_config cfg;
    u32 cpus, aps, vmm_aps, iopms, up, f;
    u32 ready[MAX_IOPMS] = { 0 };

    /* read what we need from the multiboot info before anything is laid below 1 MiB */
    cmdline[0] = 0;
    if (magic == MULTIBOOT_BOOTLOADER_MAGIC && (mbi->flags & MULTIBOOT_INFO_CMDLINE)) {
        const char *s = (const char *)mbi->cmdline;
        u32 i;
        for (i = 0; i + 1 < CMDLINE_MAX && s[i]; i++)
            cmdline[i] = s[i];
        cmdline[i] = 0;
    }

    vmm_canaries_set();
    serial_init();
    outb(PORT_PIC1_DATA, PIC_MASK_ALL);
    outb(PORT_PIC2_DATA, PIC_MASK_ALL);
    idt_init();
    idt_load();
    lapic_init_cpu();
    ioapic_mask_all();
    klog("coopvmm %s: cmdline \"%s\"\n", BUILD_ID, cmdline);

    cmdline_parse(cmdline, &cfg);
    timing_calibrate();
    cpus = fw_cfg_cpu_count();
    aps = cpus > 1 ? cpus - 1 : 0;
    vmm_aps = cfg.vmm_cpus - 1;
    if (vmm_aps > 0 && vmm_aps >= aps) {   /* VMM APs must leave at least one IOPM */
        vmm_aps = 0;
        cfg.valid = 0;
    }
    iopms = aps - vmm_aps;
    /* the APs in use keep APIC ids 1 .. MAX_IOPMS: the lock-free trace has a slice per CPU
     * up to there (trace_lockfree.c's TRACE_CPUS) */
    if (vmm_aps + iopms > MAX_IOPMS)
        iopms = MAX_IOPMS - vmm_aps;
    klog("cpus %u, vmm aps %u, iopms %u, tsc %u kHz, lapic timer %u ticks/ms\n", cpus, vmm_aps, iopms,
         (u32)tsc_per_ms(), lapic_ticks_per_ms());

    trace_zone_init();
    f = trace_lock();
    trace_header(BUILD_ID, cpus, iopms, cfg.scenario_name, cfg.seed);
    zones_print_table(vmm_aps + iopms, iopms);
    trace_unlock(f);
    trace_flush(~0u);

    if (!cfg.valid) {
        klog("bad command line\n");
        vmm_end(RUN_BAD_ARGS);
    }

    shared_zone_init(iopms);
    if (SCEN_HAS_GUESTS(cfg.scenario) && !vcpus_init(&cfg, iopms)) {
        klog("%s: this CPU has no SVM (QEMU needs -cpu max)\n", cfg.scenario_name);
        vmm_end(RUN_NO_SVM);
    }
    irq_boot(&cfg, iopms);           /* irq scenarios: devices, IOAPIC, "# irq" lines */
    up = vmm_boot(&cfg, vmm_aps, iopms, FIRST_AP_APIC_ID, ready);
    if (vmm_boot_fatal() != RUN_OK)
        vmm_end(vmm_boot_fatal());
    if (up == 0) {
        klog("no IOPM came up\n");
        vmm_end(RUN_NO_IOPM);
    }
    if (SCEN_IS_LITMUS(cfg.scenario)) {
        u64 t0 = rdtsc();
        struct litmus_result r = litmus_vmm(vmm_channel(0), cfg.requests, cfg.scenario == SCEN_LITMUS_MB);
        u32 ms = (u32)udiv64(rdtsc() - t0, (u32)tsc_per_ms(), NULL);
        f = trace_lock();
        trace_event(lapic_id(), "litmus.store_buffering", "trials", r.trials,
                    "fenced", (u32)(cfg.scenario == SCEN_LITMUS_MB), "both_stale", r.both_stale, "ms", ms, NULL);
        trace_unlock(f);
        vmm_end(RUN_OK);
    }
    vmm_run(&cfg, iopms, ready);
}
