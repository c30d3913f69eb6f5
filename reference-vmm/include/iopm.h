/* The IOPM side (one per AP). */
#ifndef COOP_IOPM_H
#define COOP_IOPM_H

#include "types.h"
#include "ring.h"
#include "handoff.h"
#include "vcpu.h"
#include "mgmt_ring.h"

/* IOPM private state, at IOPM_PRIVATE_OFF in its zone. */
struct iopm_private {
    struct iopm_ring ring;
    struct packet served;       /* response to the head of pending, built once */
    u32 served_valid;
    u32 console_len;
    u32 bogus_done;
    u32 idle_spins;
    volatile u32 ring_ipi;      /* the ring's IPI came (ends a sleep; other vectors do not) */
    /* guest I/O answers written, not yet published: traced as iopm.serve at the publish */
    u32 pio_unpub;
    u32 pio_served;             /* guest I/O answers written in all */
    u32 pio_holding;            /* vm-failover: holds its requests from here (irq_service.c) */
    struct packet pio_rsp[RING_SLOTS];
    /* vm-admin's console (iopm/console.c) */
    struct mgmt_console con;
    u32 con_next;               /* the next command of its script (0: no console) */
    u32 con_waiting;            /* a command issued, its answer not yet taken */
    u32 con_asleep;             /* its final check said sleep, no wake since (MgmtRing's conPc) */
};

void iopm_entry(struct iopm_handoff *h);
/* 1 on an IOPM's CPU, 0 on the VMM's: set first thing on entry; every IOPM runs its own
 * private copy of the kernel image, so each copy keeps its own answer. */
int iopm_here(void);
struct irq_frame;
/* The page-fault handler of an IOPM: traces boot.iopm_stray_write, reports FAULTED in its
 * channel, IPIs the VMM and halts with interrupts off. */
__attribute__((noreturn)) void iopm_page_fault(struct irq_frame *f);
/* iopm/console.c: the user interface's management commands (vm-admin; no-ops elsewhere).
 * console_round: take the answers, issue the next command; returns the steps taken.
 * console_before_serve: called before answering req (the stop goes out at the VM's first
 * exit). console_may_sleep: nothing to issue, and the final check of the answers passes. */
void console_init(struct iopm_handoff *h, struct iopm_private *p);
u32 console_round(struct iopm_handoff *h, struct iopm_private *p);
void console_before_serve(struct iopm_handoff *h, struct iopm_private *p, const struct packet *req);
int console_may_sleep(struct iopm_handoff *h, struct iopm_private *p);
/* 1 if the console watches for the VMM's sleep (its destroy waits for it): its IOPM polls
 * and does not sleep, since no IPI comes when the VMM arms. */
int console_polls(struct iopm_handoff *h, struct iopm_private *p);
/* Under the trace lock: MgmtRing's IopmWake (the IPI handler: the VMM's answer IPI taken)
 * or, with spurious_only, IopmSpuriousWake (a console still asleep when it runs on). */
void console_wake(struct iopm_handoff *h, struct iopm_private *p, int spurious_only);
/* iopm/disk.c: serve one request (a private, validated copy) into a response. */
void iopm_serve(struct iopm_handoff *h, struct iopm_private *p, const struct packet *req,
                struct packet *rsp);

#endif
