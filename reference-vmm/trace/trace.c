/* Trace emission on the debugcon port (docs/trace-format.md).
 *
 * The trace lock is a ticket lock (FIFO: a waiting CPU gets the lock next, so the steps
 * of the two sides interleave instead of one side re-taking the lock) taken with
 * interrupts off. Each protocol step and its line are done under it, together with the
 * sequence number: the order of the lines is an order in which the steps happened.
 *
 * Lines go to a byte ring in memory (TRACE_BUF_*), not to the port: port I/O costs about
 * 2 us a byte under TCG and takes QEMU's big lock, so doing it under the trace lock
 * serialised everything behind it. trace_flush() drains the ring to the port outside the
 * trace lock (the BSP calls it from its loop, and at the end). A full ring is drained by
 * the writer itself, under the trace lock.
 *
 * The trace zone also mirrors the spec's IPI pending bits (ipiVmm, ipiIopm per channel):
 * set when a publish line says notify=1, taken by the handler of the IPI. A hardware IPI
 * whose notify was already taken (two notifies, two interrupts, one pending bit in the
 * spec) is not traced as a wake. No protocol decision depends on these bits. */
#include "trace.h"
#include "zones.h"
#include "shared_zone.h"
#include "x86.h"
#include "klib.h"
#include "ring_names.h"

#define TRACE_LINE_MAX     256
#define FAULT_LOCK_SPINS   10000000u

struct trace_zone {
    volatile u32 ticket_next;
    volatile u32 ticket_serving;
    u64 seq;
    volatile u32 ipi_to_vmm[MAX_IOPMS];
    volatile u32 ipi_to_iopm[MAX_IOPMS];
    volatile u32 buf_head;          /* bytes committed (free-running) */
    volatile u32 buf_tail;          /* bytes written to the port (free-running) */
    volatile u32 flush_lock;
};

STATIC_ASSERT(sizeof(struct trace_zone) <= TRACE_ZONE_SIZE, "trace zone");

#define TZ ((struct trace_zone *)TRACE_ZONE_BASE)
#define TBUF ((u8 *)TRACE_BUF_BASE)


void trace_zone_init(void)
{
    memset(TZ, 0, TRACE_ZONE_SIZE);
}

u32 trace_lock(void)
{
    u32 flags = irq_save();
    u32 spins = 0;
    for (;;) {
        if (!__atomic_load_n(&TZ->ticket_next, __ATOMIC_RELAXED) &&
            !__atomic_exchange_n(&TZ->ticket_next, 1, __ATOMIC_ACQUIRE))
            return flags;
        spin_step(&spins);
    }
}

void trace_unlock(u32 flags)
{
    __atomic_store_n(&TZ->ticket_next, 0, __ATOMIC_RELEASE);
    irq_restore(flags);
}

/* Fault path: take the lock if it frees up soon, else give up (the holder may be us). */
int trace_try_lock_bounded(u32 *flags)
{
    *flags = irq_save();
    for (u32 i = 0; i < FAULT_LOCK_SPINS; i++) {
        u32 t = TZ->ticket_serving;
        u32 expect = t;
        if (TZ->ticket_next == t &&
            __atomic_compare_exchange_n(&TZ->ticket_next, &expect, t + 1, 0,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return 1;
        cpu_relax();
    }
    return 0;
}

u64 trace_seq(void)
{
    return __atomic_load_n(&TZ->seq, __ATOMIC_RELAXED);
}

struct line {
    char buf[TRACE_LINE_MAX];
    u32 len;
};

static void l_str(struct line *l, const char *s)
{
    while (*s && l->len < TRACE_LINE_MAX - 1)
        l->buf[l->len++] = *s++;
}

static void l_u64(struct line *l, u64 v)
{
    char tmp[24];
    u32 n = fmt_u64(tmp, v);
    for (u32 i = 0; i < n && l->len < TRACE_LINE_MAX - 1; i++)
        l->buf[l->len++] = tmp[i];
}

static void l_kv(struct line *l, const char *k, u32 v)
{
    l_str(l, " ");
    l_str(l, k);
    l_str(l, "=");
    l_u64(l, v);
}

static void l_begin(struct line *l, u32 cpu, const char *event)
{
    l->len = 0;
    l_u64(l, TZ->seq);
    l_str(l, " ");
    l_u64(l, cpu);
    l_str(l, " ");
    l_u64(l, rdtsc());
    l_str(l, " ");
    l_str(l, event);
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

/* Flush lock held. */
static void drain(u32 max_bytes)
{
    u32 head = __atomic_load_n(&TZ->buf_head, __ATOMIC_ACQUIRE);
    u32 tail = TZ->buf_tail;
    while (tail != head && max_bytes) {
        u32 off = tail & (TRACE_BUF_SIZE - 1);
        u32 n = head - tail;
        if (n > TRACE_BUF_SIZE - off)
            n = TRACE_BUF_SIZE - off;
        if (n > max_bytes)
            n = max_bytes;
        outsb(PORT_DEBUGCON, TBUF + off, n);
        tail += n;
        max_bytes -= n;
        __atomic_store_n(&TZ->buf_tail, tail, __ATOMIC_RELEASE);
    }
}

void trace_flush(u32 max_bytes)
{
    if (TZ->buf_head == TZ->buf_tail)
        return;
    flush_lock();
    drain(max_bytes);
    flush_unlock();
}

u32 trace_pending_bytes(void)
{
    return TZ->buf_head - TZ->buf_tail;
}

/* Trace lock held: append a line to the byte ring. */
static void l_emit(struct line *l)
{
    u32 head = TZ->buf_head;
    l->buf[l->len++] = '\n';
    if (TRACE_BUF_SIZE - (head - __atomic_load_n(&TZ->buf_tail, __ATOMIC_ACQUIRE)) < l->len) {
        flush_lock();                   /* full: drain it ourselves */
        drain(~0u);
        flush_unlock();
    }
    for (u32 i = 0; i < l->len; i++)
        TBUF[(head + i) & (TRACE_BUF_SIZE - 1)] = (u8)l->buf[i];
    __atomic_store_n(&TZ->buf_head, head + l->len, __ATOMIC_RELEASE);
}

static void l_end(struct line *l)
{
    l_emit(l);
    TZ->seq++;
}

void trace_step(u32 cpu, u32 iopm, const struct ring_step *s)
{
    struct line l;
    const char *k[RING_FIELDS_MAX];
    u32 v[RING_FIELDS_MAX];
    u32 n = ring_step_fields(s, k, v);

    l_begin(&l, cpu, ring_event_name(s->ev));
    l_kv(&l, "iopm", iopm);
    for (u32 i = 0; i < n; i++)
        l_kv(&l, k[i], v[i]);
    /* v1: a publish line carries the notify decision (the caller folded its notify step in) */
    if (s->ev == EV_VMM_PUBLISH_REQUESTS || s->ev == EV_IOPM_PUBLISH_RESPONSES) {
        l_kv(&l, "notify", s->notify);
        if (s->notify) {
            if (s->ev == EV_VMM_PUBLISH_REQUESTS)
                TZ->ipi_to_iopm[iopm] = 1;
            else
                TZ->ipi_to_vmm[iopm] = 1;
        }
    }
    l_end(&l);
}

/* An event line: "iopm=<iopm>" first unless iopm is ~0u, then the pairs of ap. */
static void event_va(u32 cpu, const char *event, u32 iopm, va_list ap)
{
    struct line l;
    const char *k;
    l_begin(&l, cpu, event);
    if (iopm != ~0u)
        l_kv(&l, "iopm", iopm);
    while ((k = va_arg(ap, const char *)) != NULL)
        l_kv(&l, k, va_arg(ap, u32));
    l_end(&l);
}

void trace_event(u32 cpu, const char *event, ...)
{
    va_list ap;
    va_start(ap, event);
    event_va(cpu, event, ~0u, ap);
    va_end(ap);
}

/* v1: the line alone; the global order of lines already orders the step. */
void trace_access_event(u32 cpu, const char *event, const struct trace_access *acc, u32 n_acc, ...)
{
    va_list ap;
    (void)acc;
    va_start(ap, n_acc);
    event_va(cpu, event, ~0u, ap);
    va_end(ap);
}

void trace_iopm_stop(u32 cpu, u32 k)
{
    trace_event(cpu, "iopm.stop", "iopm", k, NULL);
}

u32 trace_stop_mark(u32 k)
{
    (void)k;
    return 0;
}

void trace_vmm_boot(u32 cpu, u32 k, const char *event, ...)
{
    va_list ap;
    va_start(ap, event);
    event_va(cpu, event, k, ap);
    va_end(ap);
}

void trace_ap_boot(u32 cpu, u32 k, const char *event, ...)
{
    va_list ap;
    va_start(ap, event);
    event_va(cpu, event, k, ap);
    va_end(ap);
}

static void vmm_ap_va(u32 cpu, u32 j, const char *event, va_list ap)
{
    struct line l;
    const char *k;
    l_begin(&l, cpu, event);
    l_kv(&l, "vmm_ap", j);
    while ((k = va_arg(ap, const char *)) != NULL)
        l_kv(&l, k, va_arg(ap, u32));
    l_end(&l);
}

void trace_vmm_boot_vmm_ap(u32 cpu, u32 j, const char *event, ...)
{
    va_list ap;
    va_start(ap, event);
    vmm_ap_va(cpu, j, event, ap);
    va_end(ap);
}

void trace_vmm_ap_boot(u32 cpu, u32 j, const char *event, ...)
{
    va_list ap;
    va_start(ap, event);
    vmm_ap_va(cpu, j, event, ap);
    va_end(ap);
}

void trace_comment(const char *fmt, ...)
{
    struct line l;
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(l.buf, TRACE_LINE_MAX - 1, fmt, ap);
    va_end(ap);
    l.len = strlen(l.buf);
    l_emit(&l);
}

int trace_take_ipi_to_vmm(u32 k)
{
    int was = TZ->ipi_to_vmm[k] != 0;
    TZ->ipi_to_vmm[k] = 0;
    return was;
}

int trace_take_ipi_to_iopm(u32 k)
{
    int was = TZ->ipi_to_iopm[k] != 0;
    TZ->ipi_to_iopm[k] = 0;
    return was;
}

void trace_header(const char *build, u32 cpus, u32 iopms, const char *scenario, u32 seed)
{
    trace_comment("# coop-trace v=1 build=%s cpus=%u iopms=%u ring_slots=%u slot_size=%u scenario=%s seed=%u",
                  build, cpus, iopms, RING_SLOTS, SLOT_SIZE, scenario, seed);
}

/* v1 has no per-CPU logs to close: the single stream ends with run.end. */
void trace_close_begin(void)
{
}

int trace_closing(void)
{
    return 0;
}

void trace_close_self(u32 cpu)
{
    (void)cpu;
}

int trace_close_wait(u32 cpu)
{
    (void)cpu;
    return 1;
}
