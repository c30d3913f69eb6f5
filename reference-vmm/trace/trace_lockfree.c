/* Trace emission of the lock-free build (make TRACE=v2): trace format v2, per-CPU logs
 * (docs/trace-format.md, "version 2"). The same API as the locked trace.c, without its lock.
 *
 * Each CPU appends whole records to its own byte ring (a slice of TRACE_BUF, by APIC id),
 * numbered by its own sequence counter: only that CPU writes its ring's head and its counter,
 * so no record needs a lock or an atomic read-modify-write. trace_lock() only turns this CPU's
 * interrupts off, so that a step and its record are not split by this CPU's own IPI handler
 * (which takes steps too); other CPUs run on. Each ring record of a step carries the raw
 * values the step read and wrote, from which the checker rebuilds the order.
 *
 * The BSP drains the rings to the debugcon port at the end of the run, whole records at a
 * time (a record is committed by moving the head past its newline), so the port's stream is
 * the CPUs' records interleaved by line; the reader sorts them back by CPU. A CPU whose ring
 * is full drains it itself, under the flush lock that keeps the port's bytes of two drains
 * apart.
 *
 * At the end the BSP closes the logs: it sets `closing` and sends each live IOPM an IPI,
 * whose handler writes that CPU's log.end and stops the CPU; the BSP waits a bounded time for
 * them. A CPU that never answers leaves its log without log.end: the reader says it is cut. */
#include "trace.h"
#include "trace_v2.h"
#include "zones.h"
#include "shared_zone.h"
#include "x86.h"
#include "klib.h"
#include "lapic.h"
#include "ring_names.h"

#define TRACE_CPUS        (1u + MAX_IOPMS)               /* APIC ids 0 .. MAX_IOPMS */
#define CPU_RING_SIZE     (TRACE_BUF_SIZE / 8u)          /* power of two */
#define CACHE_LINE        64u
#define EVENT_FIELDS_MAX  16u
#define CLOSE_SPINS       50000000u

STATIC_ASSERT(TRACE_CPUS <= 8u, "a ring slice per CPU");

/* One CPU's ring: head and seq written by the CPU, tail by whoever drains it. */
struct cpu_ring {
    volatile u32 head;          /* bytes committed (free-running) */
    volatile u32 tail;          /* bytes written to the port (free-running) */
    u32 seq;                    /* records so far */
    volatile u32 closed;        /* log.end written */
    u8 pad[CACHE_LINE - 4u * sizeof(u32)];   /* the two CPUs' words on different lines */
};

struct trace_zone {
    struct cpu_ring cpu[TRACE_CPUS];
    volatile u32 flush_lock;
    volatile u32 closing;
    volatile u32 boot_vmm[MAX_IOPMS];   /* the VMM's boot steps of IOPM k: written by the BSP */
    volatile u32 boot_ap[MAX_IOPMS];    /* IOPM k's own boot steps: written by its AP */
    volatile u32 stopped[MAX_IOPMS];    /* IOPM k stopped (trace_iopm_stop): written by its AP */
    volatile u32 boot_vvmm[MAX_VMM_APS];  /* the VMM's boot steps of VMM AP j: written by the BSP */
    volatile u32 boot_vap[MAX_VMM_APS];   /* VMM AP j's own boot steps: written by it */
};

STATIC_ASSERT(sizeof(struct trace_zone) <= TRACE_ZONE_SIZE, "trace zone");

#define TZ ((struct trace_zone *)TRACE_ZONE_BASE)
#define RING_BYTES(c) ((u8 *)TRACE_BUF_BASE + (c) * CPU_RING_SIZE)

void trace_zone_init(void)
{
    memset(TZ, 0, TRACE_ZONE_SIZE);
}

u32 trace_lock(void)
{
    return irq_save();
}

void trace_unlock(u32 flags)
{
    irq_restore(flags);
}

int trace_try_lock_bounded(u32 *flags)
{
    *flags = irq_save();
    return 1;
}

static u32 me(void)
{
    u32 id = lapic_read(LAPIC_ID) >> LAPIC_ID_SHIFT;
    return id < TRACE_CPUS ? id : TRACE_CPUS - 1u;
}

static void flush_lock(void)
{
    while (__atomic_exchange_n(&TZ->flush_lock, 1, __ATOMIC_ACQUIRE))
        cpu_relax();
}

static void flush_unlock(void)
{
    __atomic_store_n(&TZ->flush_lock, 0, __ATOMIC_RELEASE);
}

/* Flush lock held: CPU c's committed records to the port, up to the head (a record
 * boundary); max_bytes only stops it between the ring's two contiguous pieces. */
static u32 drain(u32 c, u32 max_bytes)
{
    struct cpu_ring *r = &TZ->cpu[c];
    /* acquire: the record's bytes before the head that commits them */
    u32 head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
    u32 tail = r->tail, out = 0;
    while (tail != head && out < max_bytes) {
        u32 off = tail & (CPU_RING_SIZE - 1u);
        u32 n = head - tail;
        if (n > CPU_RING_SIZE - off)
            n = CPU_RING_SIZE - off;
        outsb(PORT_DEBUGCON, RING_BYTES(c) + off, n);
        tail += n;
        out += n;
    }
    /* release: the bytes are read before the producer may overwrite them */
    __atomic_store_n(&r->tail, tail, __ATOMIC_RELEASE);
    return out;
}

/* Only at the end (trace_closing): port I/O costs about 2 us a byte under TCG, so a drain
 * during the run would be most of the run's time, and slow one CPU; a full ring is drained
 * by its own CPU (commit). */
void trace_flush(u32 max_bytes)
{
    u32 left = max_bytes;
    if (!trace_closing())
        return;
    flush_lock();
    for (u32 c = 0; c < TRACE_CPUS && left; c++) {
        u32 n = drain(c, left);
        left = n >= left ? 0 : left - n;
    }
    flush_unlock();
}

u32 trace_pending_bytes(void)
{
    u32 n = 0;
    for (u32 c = 0; c < TRACE_CPUS; c++)
        n += TZ->cpu[c].head - TZ->cpu[c].tail;
    return n;
}

u64 trace_seq(void)
{
    u64 n = 0;
    for (u32 c = 0; c < TRACE_CPUS; c++)
        n += TZ->cpu[c].seq;
    return n;
}

/* This CPU's record of len bytes (newline included) into its ring; full: drain it first. */
static void commit(u32 c, const char *rec, u32 len)
{
    struct cpu_ring *r = &TZ->cpu[c];
    u32 head = r->head;
    if (CPU_RING_SIZE - (head - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE)) < len) {
        flush_lock();
        drain(c, ~0u);
        flush_unlock();
    }
    for (u32 i = 0; i < len; i++)
        RING_BYTES(c)[(head + i) & (CPU_RING_SIZE - 1u)] = (u8)rec[i];
    /* release: the record's bytes before the head that commits them */
    __atomic_store_n(&r->head, head + len, __ATOMIC_RELEASE);
}

void trace_header(const char *build, u32 cpus, u32 iopms, const char *scenario, u32 seed)
{
    char rec[TRACE_V2_RECORD_MAX];
    u32 n = trace_v2_header(rec, sizeof(rec), build, cpus, iopms, scenario, seed);
    if (n)
        commit(me(), rec, n);
}

void trace_step(u32 cpu, u32 iopm, const struct ring_step *s)
{
    char rec[TRACE_V2_RECORD_MAX];
    u32 c = cpu < TRACE_CPUS ? cpu : me();
    u32 n = trace_v2_ring_record(rec, sizeof(rec), cpu, TZ->cpu[c].seq, iopm, s);
    if (!n)
        return;
    TZ->cpu[c].seq++;
    commit(c, rec, n);
}

/* A record of this CPU: its fields (iopm=<iopm> first unless ~0u, then the pairs of ap)
 * and the accesses given. */
static void event_va(u32 cpu, const char *event, const char *first, u32 first_v, const struct trace_access *acc,
                     u32 n_acc, va_list ap)
{
    char rec[TRACE_V2_RECORD_MAX];
    const char *k[EVENT_FIELDS_MAX];
    u32 v[EVENT_FIELDS_MAX], n = 0, len;
    u32 c = cpu < TRACE_CPUS ? cpu : me();
    const char *key;
    if (first) {                    /* iopm=k, or a VMM AP's vmm_ap=j */
        k[n] = first;
        v[n++] = first_v;
    }
    while ((key = va_arg(ap, const char *)) != NULL && n < EVENT_FIELDS_MAX) {
        k[n] = key;
        v[n++] = va_arg(ap, u32);
    }
    len = trace_v2_access_record(rec, sizeof(rec), cpu, TZ->cpu[c].seq, event, k, v, n, acc, n_acc);
    if (!len)
        return;
    TZ->cpu[c].seq++;
    commit(c, rec, len);
}

void trace_event(u32 cpu, const char *event, ...)
{
    va_list ap;
    va_start(ap, event);
    event_va(cpu, event, NULL, 0, NULL, 0, ap);
    va_end(ap);
}

/* A boot step of IOPM k by one side: the load of the other side's counter first, then the
 * store of this side's, so the step is ordered after what it saw, and before what sees it (it
 * takes effect at its store). */
/* key=k names the AP (iopm=k: words boot_ap, boot_vmm of channel k; vmm_ap=j: words
 * boot_vap.j, boot_vvmm.j, a VMM AP having no channel) */
static void boot_va(u32 cpu, const char *key, u32 k, const char *event, volatile u32 *theirs, const char *their_name,
                    volatile u32 *mine, const char *my_name, va_list ap)
{
    int vmm_ap = key[0] == 'v';
    struct trace_access acc[2];
    acc[0] = vmm_ap ? trace_element('r', their_name, k, *theirs) : trace_word('r', their_name, *theirs);
    acc[1] = vmm_ap ? trace_element('w', my_name, k, *mine + 1u) : trace_word('w', my_name, *mine + 1u);
    *mine = acc[1].value;
    event_va(cpu, event, key, k, acc, 2, ap);
}

void trace_vmm_boot(u32 cpu, u32 k, const char *event, ...)
{
    va_list ap;
    if (k >= MAX_IOPMS)
        return;
    va_start(ap, event);
    boot_va(cpu, "iopm", k, event, &TZ->boot_ap[k], "boot_ap", &TZ->boot_vmm[k], "boot_vmm", ap);
    va_end(ap);
}

void trace_ap_boot(u32 cpu, u32 k, const char *event, ...)
{
    va_list ap;
    if (k >= MAX_IOPMS)
        return;
    va_start(ap, event);
    boot_va(cpu, "iopm", k, event, &TZ->boot_vmm[k], "boot_vmm", &TZ->boot_ap[k], "boot_ap", ap);
    va_end(ap);
}

void trace_vmm_boot_vmm_ap(u32 cpu, u32 j, const char *event, ...)
{
    va_list ap;
    if (j >= MAX_VMM_APS)
        return;
    va_start(ap, event);
    boot_va(cpu, "vmm_ap", j, event, &TZ->boot_vap[j], "boot_vap", &TZ->boot_vvmm[j], "boot_vvmm", ap);
    va_end(ap);
}

void trace_vmm_ap_boot(u32 cpu, u32 j, const char *event, ...)
{
    va_list ap;
    if (j >= MAX_VMM_APS)
        return;
    va_start(ap, event);
    boot_va(cpu, "vmm_ap", j, event, &TZ->boot_vvmm[j], "boot_vvmm", &TZ->boot_vap[j], "boot_vap", ap);
    va_end(ap);
}

void trace_access_event(u32 cpu, const char *event, const struct trace_access *acc, u32 n_acc, ...)
{
    va_list ap;
    va_start(ap, n_acc);
    event_va(cpu, event, NULL, 0, acc, n_acc, ap);
    va_end(ap);
}

static void stop_va(u32 cpu, const char *event, u32 k, ...)
{
    struct trace_access acc = trace_element('w', "irq_stop", k, 1u);
    va_list ap;
    va_start(ap, k);
    event_va(cpu, event, "iopm", k, &acc, 1, ap);
    va_end(ap);
}

void trace_iopm_stop(u32 cpu, u32 k)
{
    if (k >= MAX_IOPMS)
        return;
    stop_va(cpu, "iopm.stop", k, NULL);
    /* after its record: a tick that reads the mark reads a stop already logged */
    __atomic_store_n(&TZ->stopped[k], 1u, __ATOMIC_RELEASE);
}

u32 trace_stop_mark(u32 k)
{
    return k < MAX_IOPMS ? __atomic_load_n(&TZ->stopped[k], __ATOMIC_ACQUIRE) : 0u;
}

void trace_comment(const char *fmt, ...)
{
    char rec[TRACE_V2_RECORD_MAX];
    va_list ap;
    u32 n;
    va_start(ap, fmt);
    kvsnprintf(rec, sizeof(rec) - 1u, fmt, ap);
    va_end(ap);
    n = strlen(rec);
    rec[n++] = '\n';
    commit(me(), rec, n);
}

/* v2: the wake step itself compares the peer's IPI count with the sends it took (ring.c). */
int trace_take_ipi_to_vmm(u32 k)
{
    (void)k;
    return 1;
}

int trace_take_ipi_to_iopm(u32 k)
{
    (void)k;
    return 1;
}

void trace_close_begin(void)
{
    __atomic_store_n(&TZ->closing, 1, __ATOMIC_RELEASE);
}

int trace_closing(void)
{
    return (int)__atomic_load_n(&TZ->closing, __ATOMIC_ACQUIRE);
}

void trace_close_self(u32 cpu)
{
    char rec[TRACE_V2_RECORD_MAX];
    u32 c = cpu < TRACE_CPUS ? cpu : me();
    u32 n = trace_v2_plain_record(rec, sizeof(rec), cpu, TZ->cpu[c].seq, "log.end");
    if (n) {
        TZ->cpu[c].seq++;
        commit(c, rec, n);
    }
    /* release: log.end committed before the BSP sees the CPU closed */
    __atomic_store_n(&TZ->cpu[c].closed, 1, __ATOMIC_RELEASE);
}

int trace_close_wait(u32 cpu)
{
    u32 c = cpu < TRACE_CPUS ? cpu : me();
    for (u32 i = 0; i < CLOSE_SPINS; i++) {
        if (__atomic_load_n(&TZ->cpu[c].closed, __ATOMIC_ACQUIRE))
            return 1;
        cpu_relax();
    }
    return 0;
}
