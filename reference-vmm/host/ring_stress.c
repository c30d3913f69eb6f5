/* Host stress harness of the ring (./coop stress ring): reference-vmm/ring/ring.c, built for
 * the host, run by two threads pinned to two cores at full speed, a VMM side and an IOPM
 * side sharing one channel page and nothing else. Each thread logs its steps in its own
 * memory (plain stores, no lock, no atomics); after the run the logs are written as trace
 * format v2 files, one per thread, for the same checker that reads the lock-free kernel's.
 *
 *   ring-stress --requests N --out DIR [--stall-ms M] [--locked] [--one-at-a-time] [--lockstep] [--jitter N]
 *
 * A sleeping side waits for its peer's IPI count (ipi_to_vmm / ipi_to_iopm) to move: the
 * host's stand-in for an IPI. A side asleep for --stall-ms with no IPI is a lost wakeup: the
 * run stops there, the logs are kept, and the summary says "stalled".
 * --locked takes one global spin lock around every step and its log record, as the v1
 * kernel does, for the side-by-side figure. --one-at-a-time: the VMM writes a request only
 * when none is outstanding, so both sides go to sleep and wake each other on every request:
 * the windows the full barriers guard (publish to notify, prepare-sleep to final check) then
 * race on every request instead of when a batch happens to run dry. --jitter N: before each
 * publish and each see_idle, a side spins a random 0..N pauses (its own xorshift), so the two
 * sides' windows slide across each other instead of keeping one phase (as litmus tools add
 * random delays); between steps only, never inside one. --lockstep: one request at a time,
 * and twice a request the two sides meet at a rendezvous (two unlogged counters, one per side)
 * and then run their racing windows at once, each window's store and load back to back and its
 * records after them: for the request, the VMM's publish and notify against the IOPM's
 * see-idle, prepare-sleep and final check; for the response, the IOPM's publish and notify
 * against the VMM's. That is how litmus tools line up the two threads of a
 * store-buffering test; here the test is the ring's own code, every step logged as in the other
 * modes (the rendezvous orders nothing the checker relies on).
 *
 * Output: DIR/cpu0.log (VMM), DIR/cpu1.log (IOPM), and one summary line on stdout:
 *   stress requests=<n> answered=<n> events=<n> ns=<elapsed> stalled=<0|1> bad_responses=<n> mutant=<m>
 * Exit: 0 the run finished, 1 it stalled or a response was wrong, 2 usage or environment. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ring.h"
#include "ring_arch.h"
#include "status.h"
#include "trace_v2.h"

#define VMM_CPU        0u
#define IOPM_CPU       1u
#define SIDES          2u
#define CHANNEL        0u         /* one channel: IOPM 0 */
#define DEFAULT_STALL_MS 2000u
#define NS_PER_MS      1000000ull
#define NS_PER_S       1000000000ull
#define SPINS_PER_CLOCK_READ 4096u
/* events per request at most: write, consume, write_response, consume_response, and the
 * shares of publish, notify, see_idle, prepare_sleep, final_check and wake (at most one each per
 * request and side), plus the tail */
#define EVENTS_PER_REQUEST 12u
#define EVENTS_SLACK   64u
#define OUT_BUF        (1u << 20)


struct side_log {
    struct ring_step *steps;
    u32 n, cap;
    int overflow;
};

static struct channel *ch;
static struct side_log logs[SIDES];
static u32 max_req;
static u64 stall_ns;
static int locked, one_at_a_time, lockstep;
static volatile u32 met[SIDES];          /* --lockstep: the round each side has reached */
static u32 jitter_max;
static volatile int go, quit, stalled;
static volatile u32 bad_responses, answered;
static volatile int big_lock;

static u64 now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (u64)t.tv_sec * NS_PER_S + (u64)t.tv_nsec;
}

static void cpu_relax(void)
{
    __builtin_ia32_pause();
}

static void lock(void)
{
    if (!locked)
        return;
    while (__atomic_exchange_n(&big_lock, 1, __ATOMIC_ACQUIRE))
        cpu_relax();
}

static void unlock(void)
{
    if (locked)
        __atomic_store_n(&big_lock, 0, __ATOMIC_RELEASE);
}

/* Plain stores into this side's own log: no other thread touches it until both joined. */
static void record(u32 side, const struct ring_step *s)
{
    struct side_log *l = &logs[side];
    if (l->n < l->cap)
        l->steps[l->n++] = *s;
    else
        l->overflow = 1;
}

static void pin(u32 cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0)
        fprintf(stderr, "ring-stress: could not pin a thread to cpu %u (running unpinned)\n", cpu);
}

/* --jitter: 0..jitter_max pauses, from this side's xorshift32 state. */
static void jitter(u32 *x)
{
    if (!jitter_max)
        return;
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    for (u32 n = *x % (jitter_max + 1u); n; n--)
        cpu_relax();
}

/* Wait for the peer's IPI count to move past `taken`; 0 on a stall or when told to quit. */
static int wait_ipi(const u32 *count, u32 taken)
{
    u64 deadline = now_ns() + stall_ns;
    for (u32 spins = 0;; spins++) {
        if (READ_ONCE32(*count) != taken)
            return 1;
        if (quit)
            return 0;
        if (spins % SPINS_PER_CLOCK_READ == 0 && now_ns() > deadline) {
            stalled = 1;
            quit = 1;
            return 0;
        }
        cpu_relax();
    }
}

/* --lockstep: this side reached round i; returns when the peer has too (0: told to quit). */
static int rendezvous(u32 side, u32 i)
{
    __atomic_store_n(&met[side], i, __ATOMIC_RELEASE);
    while (__atomic_load_n(&met[side ^ 1u], __ATOMIC_ACQUIRE) < i)
        if (quit)
            return 0;
    return 1;
}

/* A step with its record, under the big lock in --locked mode. */
#define STEP(side, call, s) ({ int r_; lock(); r_ = (call); if (r_ == 1) record(side, s); unlock(); r_; })

static void *vmm_side(void *arg)
{
    struct vmm_ring st;
    u32 rnd = 0x9e3779b9u;            /* --jitter's state: fixed seeds, the timing varies anyway */
    struct ring_step s;
    struct packet req, rsp;
    (void)arg;
    pin(VMM_CPU);
    memset(&req, 0, sizeof(req));
    req.type = PKT_CONSOLE_WRITE;
    vmm_ring_init(&st, max_req);
    while (!go)
        cpu_relax();
    while (!quit) {
        u32 progress = 0;
        int r;
        while ((r = STEP(VMM_CPU, vmm_consume_response(ch, &st, &rsp, &s), &s)) == 1) {
            if (rsp.id != st.rsp_got)          /* responses come back in request order */
                bad_responses++;
            progress++;
        }
        if (r == RING_BOGUS) {
            STEP(VMM_CPU, vmm_declare_iopm_broken(ch, &st, &s), &s);
            break;
        }
        if (lockstep && st.next_id - 1u != st.rsp_got && met[VMM_CPU] < 2u * (st.next_id - 1u)) {
            /* the response's round: the VMM's way to sleep against the IOPM's publish */
            struct ring_step idle, prep;
            if (!rendezvous(VMM_CPU, 2u * (st.next_id - 1u)))
                break;
            jitter(&rnd);
            lock();
            if (vmm_see_idle(ch, &st, &idle) == 1 && vmm_prepare_sleep(ch, &st, &prep) == 1 &&
                vmm_final_check(ch, &st, &s) == 1) {
                record(VMM_CPU, &idle);
                record(VMM_CPU, &prep);
                record(VMM_CPU, &s);
                unlock();
                if (s.sleep) {
                    if (!wait_ipi(&ch->iopm.ipi_to_vmm, st.ipi_taken))
                        break;
                    STEP(VMM_CPU, vmm_wake(ch, &st, &s), &s);
                }
            } else {
                unlock();
            }
            continue;
        }
        if (lockstep && st.next_id - 1u == st.rsp_got && st.next_id <= st.max_req) {
            /* one request, then both sides into their windows at once */
            if (STEP(VMM_CPU, vmm_write_request(ch, &st, &req, &s), &s) != 1 ||
                !rendezvous(VMM_CPU, 2u * (st.next_id - 1u) - 1u))
                break;
            jitter(&rnd);
            /* the publish's store and the notify's load back to back, their records after:
             * nothing but the missing barrier's absence between the two accesses */
            lock();
            if (vmm_publish_requests(ch, &st, &s) == 1) {
                struct ring_step n;
                int r_ = vmm_notify_iopm(ch, &st, &n);
                record(VMM_CPU, &s);
                if (r_ == 1)
                    record(VMM_CPU, &n);
                unlock();
                STEP(VMM_CPU, vmm_send_ipi(ch, &st, &s), &s);   /* only if it decided to */
            } else {
                unlock();
            }
            continue;
        }
        while (!((one_at_a_time || lockstep) && st.next_id - 1u != st.rsp_got) &&
               STEP(VMM_CPU, vmm_write_request(ch, &st, &req, &s), &s) == 1) {
            progress++;
            if (s.ev == EV_VMM_PUBLISH_REQUESTS) {   /* publish-before-write's early publish */
                STEP(VMM_CPU, vmm_notify_iopm(ch, &st, &s), &s);
                STEP(VMM_CPU, vmm_send_ipi(ch, &st, &s), &s);
            }
        }
        jitter(&rnd);
        if (STEP(VMM_CPU, vmm_publish_requests(ch, &st, &s), &s) == 1) {
            STEP(VMM_CPU, vmm_notify_iopm(ch, &st, &s), &s);
            STEP(VMM_CPU, vmm_send_ipi(ch, &st, &s), &s);   /* only if it decided to */
            progress++;
        }
        if (st.rsp_got == st.max_req && st.next_id > st.max_req)
            break;                             /* every request answered */
        if (progress)
            continue;
        jitter(&rnd);
        if (STEP(VMM_CPU, vmm_see_idle(ch, &st, &s), &s) == 1 &&
            STEP(VMM_CPU, vmm_prepare_sleep(ch, &st, &s), &s) == 1 &&
            STEP(VMM_CPU, vmm_final_check(ch, &st, &s), &s) == 1 && s.sleep) {
            if (!wait_ipi(&ch->iopm.ipi_to_vmm, st.ipi_taken))
                break;
            STEP(VMM_CPU, vmm_wake(ch, &st, &s), &s);
        }
    }
    answered = st.rsp_got;
    quit = 1;
    return NULL;
}

static void *iopm_side(void *arg)
{
    struct iopm_ring st;
    u32 rnd = 0x85ebca6bu;
    struct ring_step s;
    struct packet rsp;
    (void)arg;
    pin(IOPM_CPU);
    iopm_ring_init(&st);
    while (!go)
        cpu_relax();
    while (!quit) {
        u32 progress = 0;
        const struct packet *req;
        while (STEP(IOPM_CPU, iopm_consume(ch, &st, &s), &s) == 1)
            progress++;
        while ((req = iopm_pending_head(&st)) != NULL) {
            memset(&rsp, 0, sizeof(rsp));
            rsp.id = req->id;
            rsp.type = (u16)(req->type | RSP_TYPE_FLAG);
            rsp.status = PKT_STATUS_OK;
            if (STEP(IOPM_CPU, iopm_write_response(ch, &st, &rsp, &s), &s) != 1)
                break;
            progress++;
        }
        if (lockstep && ch->iopm.rsp_prod != st.rsp_pvt) {
            /* the response's round: its publish and notify against the VMM's way to sleep */
            struct ring_step n;
            if (!rendezvous(IOPM_CPU, 2u * st.rsp_pvt))
                break;
            jitter(&rnd);
            lock();
            if (iopm_publish_responses(ch, &st, &s) == 1) {
                int r_ = iopm_notify_vmm(ch, &st, &n);
                record(IOPM_CPU, &s);
                if (r_ == 1)
                    record(IOPM_CPU, &n);
                unlock();
                STEP(IOPM_CPU, iopm_send_ipi(ch, &st, &s), &s);   /* only if it decided to */
            } else {
                unlock();
            }
            continue;
        }
        jitter(&rnd);
        if (STEP(IOPM_CPU, iopm_publish_responses(ch, &st, &s), &s) == 1) {
            STEP(IOPM_CPU, iopm_notify_vmm(ch, &st, &s), &s);
            STEP(IOPM_CPU, iopm_send_ipi(ch, &st, &s), &s);  /* only if it decided to */
            progress++;
        }
        if (progress)
            continue;
        if (lockstep && st.req_got < max_req && st.rsp_pvt == st.req_got &&
            met[IOPM_CPU] < 2u * (st.req_got + 1u) - 1u) {
            struct ring_step idle, prep;
            if (!rendezvous(IOPM_CPU, 2u * (st.req_got + 1u) - 1u))   /* request req_got + 1 is written */
                break;
            jitter(&rnd);
            /* see-idle, prepare-sleep's store and the final check's load back to back, their
             * records after */
            lock();
            if (iopm_see_idle(ch, &st, &idle) == 1 && iopm_prepare_sleep(ch, &st, &prep) == 1 &&
                iopm_final_check(ch, &st, &s) == 1) {
                record(IOPM_CPU, &idle);
                record(IOPM_CPU, &prep);
                record(IOPM_CPU, &s);
                unlock();
                if (s.sleep) {
                    if (!wait_ipi(&ch->vmm.ipi_to_iopm, st.ipi_taken))
                        break;
                    STEP(IOPM_CPU, iopm_wake(ch, &st, &s), &s);
                }
            } else {
                unlock();
            }
            continue;
        }
        jitter(&rnd);
        if (STEP(IOPM_CPU, iopm_see_idle(ch, &st, &s), &s) == 1 &&
            STEP(IOPM_CPU, iopm_prepare_sleep(ch, &st, &s), &s) == 1 &&
            STEP(IOPM_CPU, iopm_final_check(ch, &st, &s), &s) == 1 && s.sleep) {
            if (!wait_ipi(&ch->vmm.ipi_to_iopm, st.ipi_taken))
                break;
            STEP(IOPM_CPU, iopm_wake(ch, &st, &s), &s);
        }
    }
    return NULL;
}

static int write_log(const char *dir, u32 side, const char *build)
{
    char path[4096], *buf = malloc(OUT_BUF);
    u32 len = 0, seq;
    FILE *f;
    struct side_log *l = &logs[side];

    snprintf(path, sizeof(path), "%s/cpu%u.log", dir, side);
    f = fopen(path, "w");
    if (!f || !buf) {
        fprintf(stderr, "ring-stress: cannot write %s: %s\n", path, strerror(errno));
        return 0;
    }
    len = trace_v2_header(buf, OUT_BUF, build, SIDES, 1, "stress-ring", 0);
    for (seq = 0; seq < l->n; seq++) {
        if (OUT_BUF - len < TRACE_V2_RECORD_MAX) {
            fwrite(buf, 1, len, f);
            len = 0;
        }
        len += trace_v2_ring_record(buf + len, OUT_BUF - len, side, seq, CHANNEL, &l->steps[seq]);
    }
    if (side == VMM_CPU && !l->overflow) {
        /* the run's end, as the kernel's BSP writes it (include/status.h) */
        static const char *const k[] = { "status", "requests" };
        u32 v[] = { stalled ? (u32)RUN_STALL : bad_responses ? (u32)RUN_BAD_RESPONSE : (u32)RUN_OK, answered };
        len += trace_v2_fields_record(buf + len, OUT_BUF - len, side, seq++, "run.end", k, v, ARRAY_SIZE(k));
    }
    if (!l->overflow)          /* an overflowed log is cut short: no log.end */
        len += trace_v2_plain_record(buf + len, OUT_BUF - len, side, seq, "log.end");
    fwrite(buf, 1, len, f);
    free(buf);
    return fclose(f) == 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: ring-stress --requests N --out DIR [--stall-ms M] [--locked] [--one-at-a-time] [--lockstep] [--jitter N]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    pthread_t t[SIDES];
    u64 t0, t1;
    u32 stall_ms = DEFAULT_STALL_MS;
    char build[64];

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--requests") && i + 1 < argc)
            max_req = (u32)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--stall-ms") && i + 1 < argc)
            stall_ms = (u32)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--locked"))
            locked = 1;
        else if (!strcmp(argv[i], "--one-at-a-time"))
            one_at_a_time = 1;
        else if (!strcmp(argv[i], "--lockstep"))
            lockstep = 1;
        else if (!strcmp(argv[i], "--jitter") && i + 1 < argc)
            jitter_max = (u32)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--help")) {
            usage();
            return 0;
        } else
            return usage();
    }
    if (!out || max_req == 0)
        return usage();
    if (mkdir(out, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "ring-stress: cannot create %s: %s\n", out, strerror(errno));
        return 2;
    }
    stall_ns = (u64)stall_ms * NS_PER_MS;
    if (posix_memalign((void **)&ch, ZONE_PAGE, sizeof(*ch)) != 0)
        return 2;
    ring_channel_init(ch, CHANNEL);
    for (u32 i = 0; i < SIDES; i++) {
        logs[i].cap = max_req * EVENTS_PER_REQUEST + EVENTS_SLACK;
        logs[i].steps = malloc((size_t)logs[i].cap * sizeof(struct ring_step));
        if (!logs[i].steps) {
            fprintf(stderr, "ring-stress: out of memory for %u requests\n", max_req);
            return 2;
        }
    }
    if (pthread_create(&t[VMM_CPU], NULL, vmm_side, NULL) ||
        pthread_create(&t[IOPM_CPU], NULL, iopm_side, NULL)) {
        fprintf(stderr, "ring-stress: cannot start threads\n");
        return 2;
    }
    t0 = now_ns();
    go = 1;
    for (u32 i = 0; i < SIDES; i++)
        pthread_join(t[i], NULL);
    t1 = now_ns();
    snprintf(build, sizeof(build), "host-%s%s", ring_mutant_name(), locked ? "-locked" : "");
    for (u32 i = 0; i < SIDES; i++)
        if (!write_log(out, i, build))
            return 2;
    printf("stress requests=%u answered=%u events=%u ns=%llu stalled=%d bad_responses=%u mutant=%s locked=%d\n",
           max_req, answered, logs[0].n + logs[1].n, (unsigned long long)(t1 - t0), stalled,
           bad_responses, ring_mutant_name(), locked);
    return stalled || bad_responses ? 1 : 0;
}
