/* The multiboot command line: "<kernel path> scenario=ring requests=2000 seed=7 ...". */
#include "vmm.h"
#include "klib.h"
#include "irq_route.h"
#include "vcpu.h"

static const char *const scenario_names[SCEN_COUNT] = {
    [SCEN_RING] = "ring",
    [SCEN_RING_BURST] = "ring-burst",
    [SCEN_RING_SLEEP] = "ring-sleep",
    [SCEN_RING_HOSTILE] = "ring-hostile",
    [SCEN_BOOT] = "boot",
    [SCEN_BOOT_ROGUE] = "boot-rogue",
    [SCEN_BOOT_SLOW] = "boot-slow",
    [SCEN_BOOT_DEAD] = "boot-dead",
    [SCEN_IRQ] = "irq",
    [SCEN_IRQ_BALANCE] = "irq-balance",
    [SCEN_IRQ_FAILOVER] = "irq-failover",
    [SCEN_IRQ_VMM_LOCAL] = "irq-vmm-local",
    [SCEN_LITMUS] = "litmus",
    [SCEN_LITMUS_MB] = "litmus-mb",
    [SCEN_VM_IO] = "vm-io",
    [SCEN_VM_FAILOVER] = "vm-failover",
    [SCEN_VM_ROGUE] = "vm-rogue",
    [SCEN_VM_ADMIN] = "vm-admin",
    [SCEN_BOOT_VMM] = "boot-vmm",
};

static int parse_u32(const char *s, u32 n, u32 *out)
{
    u32 v = 0;
    if (n == 0)
        return 0;
    for (u32 i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (u32)(s[i] - '0');
    }
    *out = v;
    return 1;
}

static int key_is(const char *k, u32 kn, const char *name)
{
    return strlen(name) == kn && memcmp(k, name, kn) == 0;
}

void cmdline_parse(const char *s, struct run_config *cfg)
{
    int vmm_cpus_given = 0;
    cfg->scenario = SCEN_RING;
    memcpy(cfg->scenario_name, "ring", 5);
    cfg->requests = DEFAULT_REQUESTS;
    cfg->seed = DEFAULT_SEED;
    cfg->watchdog_s = DEFAULT_WATCHDOG_S;
    cfg->iopm_idle_us = DEFAULT_IOPM_IDLE_US;
    cfg->irqs = DEFAULT_IRQS;
    cfg->sipi_gap_us = DEFAULT_SIPI_GAP_US;
    cfg->vcpus = DEFAULT_VCPUS;
    cfg->insns = DEFAULT_INSNS;
    cfg->devices = 0;
    cfg->vmm_cpus = DEFAULT_VMM_CPUS;
    cfg->valid = 1;

    while (*s) {
        const char *tok, *eq = NULL;
        u32 kn, vn;
        while (*s == ' ')
            s++;
        tok = s;
        while (*s && *s != ' ') {
            if (*s == '=' && !eq)
                eq = s;
            s++;
        }
        if (!eq)
            continue;                   /* the kernel path, or a bare word */
        kn = (u32)(eq - tok);
        vn = (u32)(s - eq - 1);
        if (key_is(tok, kn, "scenario")) {
            int found = 0;
            for (u32 i = 0; i < SCEN_COUNT; i++) {
                if (strlen(scenario_names[i]) == vn && memcmp(eq + 1, scenario_names[i], vn) == 0) {
                    cfg->scenario = i;
                    memcpy(cfg->scenario_name, scenario_names[i], vn + 1);
                    found = 1;
                }
            }
            if (!found) {
                cfg->valid = 0;
                memcpy(cfg->scenario_name, "invalid", 8);
            }
        } else if (key_is(tok, kn, "requests")) {
            cfg->valid &= parse_u32(eq + 1, vn, &cfg->requests);
        } else if (key_is(tok, kn, "seed")) {
            cfg->valid &= parse_u32(eq + 1, vn, &cfg->seed);
        } else if (key_is(tok, kn, "iopm_idle_us")) {
            cfg->valid &= parse_u32(eq + 1, vn, &cfg->iopm_idle_us);
        } else if (key_is(tok, kn, "irqs")) {
            cfg->valid &= parse_u32(eq + 1, vn, &cfg->irqs);
        } else if (key_is(tok, kn, "sipi_gap_us")) {
            cfg->valid &= parse_u32(eq + 1, vn, &cfg->sipi_gap_us);
        } else if (key_is(tok, kn, "watchdog")) {
            cfg->valid &= parse_u32(eq + 1, vn, &cfg->watchdog_s);
        } else if (key_is(tok, kn, "vcpus")) {
            cfg->valid &= parse_u32(eq + 1, vn, &cfg->vcpus);
        } else if (key_is(tok, kn, "insns")) {
            cfg->valid &= parse_u32(eq + 1, vn, &cfg->insns);
        } else if (key_is(tok, kn, "devices")) {
            cfg->valid &= parse_u32(eq + 1, vn, &cfg->devices);
        } else if (key_is(tok, kn, "vmm_cpus")) {
            cfg->valid &= parse_u32(eq + 1, vn, &cfg->vmm_cpus);
            vmm_cpus_given = 1;
        }
        /* other keys are left to other components */
    }
    if (cfg->vcpus < 1 || cfg->vcpus > VCPU_MAX || cfg->insns < 1 || cfg->insns > GUEST_INSNS_MAX ||
        cfg->devices > GUEST_DEV_MAX)
        cfg->valid = 0;
    if (cfg->scenario == SCEN_BOOT_VMM && !vmm_cpus_given)
        cfg->vmm_cpus = BOOT_VMM_VMM_CPUS;
    if (cfg->vmm_cpus < 1 || cfg->vmm_cpus > 1u + MAX_VMM_APS)
        cfg->valid = 0;
    if (cfg->watchdog_s == 0)
        cfg->watchdog_s = DEFAULT_WATCHDOG_S;
}
