/* JNI glue: the C ring of reference-vmm/ring/ring.c (compiled unchanged, for the host) driven
 * from Java (coopvmm.fuzz.NativeRing). One context = one channel page with a PROT_NONE guard
 * page on each side (any access outside the channel faults at once), the VMM's and the
 * IOPM's private state, and, when the harness plays a hostile peer, a "tape" of fuzzer bytes
 * consumed by READ_ONCE32 (see hostile_arch.h) and a shadow copy of the peer-owned bytes:
 * after each call every peer-owned byte must still hold what the peer (the harness) wrote,
 * so a write by ring.c into the other side's area is caught. */
#define _GNU_SOURCE
#include <jni.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ring.h"
#include "page_jni.h"

#define PAGE 4096u
#define CTRL_WORDS (CHAN_RINGS_OFFSET / 4u)

/* which side the harness plays (its bytes are the "peer-owned" ones) */
enum { PEER_NONE = 0, PEER_IOPM = 1, PEER_VMM = 2 };

/* step() out[] layout, mirrored in NativeRing.java */
enum { O_RET, O_EV, O_ID, O_IDX, O_NOTIFY, O_SLEEP, O_FOREIGN_WRITE, O_TAPE_USED, O_DOUBLE_FETCH, O_COUNT };

struct ctx {
    u8 *map;                       /* guard | channel | guard */
    struct channel *ch;
    struct vmm_ring vmm;
    struct iopm_ring iopm;
    int peer;
    const u8 *tape;                /* during one step only */
    u32 tape_len, tape_pos;
    u8 shadow[ZONE_PAGE];          /* peer-owned bytes as the peer left them */
    u32 last_read[CTRL_WORDS];     /* last value ring.c read of each control word */
    u32 read_mask[CTRL_WORDS / 32u + 1u];
    u8 slot_reads[(ZONE_PAGE - CHAN_RINGS_OFFSET) / 4u];   /* reads of each slot word, this step */
    u32 double_fetch;              /* 1 + offset of the first slot word read twice this step, or 0 */
    struct packet last_rsp;        /* what the last vmm_consume_response delivered */
};

static __thread struct ctx *cur;

static int peer_owned(const struct ctx *c, u32 off)
{
    if (c->peer == PEER_IOPM)
        return (off >= offsetof(struct channel, iopm) && off < offsetof(struct channel, iopm) + CACHE_LINE)
            || (off >= offsetof(struct channel, rsp) && off < offsetof(struct channel, rsp) + RING_SLOTS * SLOT_SIZE);
    if (c->peer == PEER_VMM)
        return (off >= offsetof(struct channel, vmm) && off < offsetof(struct channel, vmm) + CACHE_LINE)
            || (off >= offsetof(struct channel, req) && off < offsetof(struct channel, req) + RING_SLOTS * SLOT_SIZE);
    return 0;
}

const void *coop_fuzz_before_read(const void *p)
{
    struct ctx *c = cur;
    uintptr_t a = (uintptr_t)p, base;
    u32 off;

    if (!c)
        return coop_fuzz_mgmt_before_read(p);  /* not a ring step: a management call's, or none */
    base = (uintptr_t)c->ch;
    if (a < base || a + 4u > base + ZONE_PAGE)
        abort();                   /* READ_ONCE32 outside the channel: a bounds finding */
    off = (u32)(a - base);
    if (c->peer != PEER_NONE && peer_owned(c, off) && c->tape_pos < c->tape_len) {
        u8 op = c->tape[c->tape_pos++];
        if ((op & 1u) && c->tape_pos + 4u <= c->tape_len) {
            u32 v;
            memcpy(&v, c->tape + c->tape_pos, 4);
            c->tape_pos += 4;
            *(volatile u32 *)p = v;            /* the peer changes its word right now */
            memcpy(c->shadow + off, &v, 4);
        }
    }
    if (off >= CHAN_RINGS_OFFSET) {
        u8 *n = &c->slot_reads[(off - CHAN_RINGS_OFFSET) / 4u];
        if (*n < 255u)
            (*n)++;
        if (*n == 2u && !c->double_fetch)
            c->double_fetch = off + 1u;
    }
    if (off < CHAN_RINGS_OFFSET && (off & 3u) == 0) {
        c->last_read[off / 4u] = *(const volatile u32 *)p;
        c->read_mask[off / 128u] |= 1u << ((off / 4u) & 31u);
    }
    return p;
}

static struct ctx *H(jlong h) { return (struct ctx *)(intptr_t)h; }

static void shadow_take(struct ctx *c)
{
    memcpy(c->shadow, c->ch, ZONE_PAGE);
}

/* 1 if a peer-owned byte differs from the shadow (somebody but the peer wrote it) */
static int foreign_write(const struct ctx *c)
{
    const u8 *m = (const u8 *)c->ch;
    u32 area, ring;
    if (c->peer == PEER_NONE)
        return 0;
    area = c->peer == PEER_IOPM ? offsetof(struct channel, iopm) : offsetof(struct channel, vmm);
    ring = c->peer == PEER_IOPM ? offsetof(struct channel, rsp) : offsetof(struct channel, req);
    return memcmp(m + area, c->shadow + area, CACHE_LINE) != 0
        || memcmp(m + ring, c->shadow + ring, RING_SLOTS * SLOT_SIZE) != 0;
}

JNIEXPORT jlong JNICALL Java_coopvmm_fuzz_NativeRing_create(JNIEnv *env, jclass cls, jint max_req, jint peer)
{
    struct ctx *c = calloc(1, sizeof(*c));
    (void)env; (void)cls;
    if (!c)
        return 0;
    c->map = mmap(NULL, 3 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (c->map == MAP_FAILED) {
        free(c);
        return 0;
    }
    mprotect(c->map + PAGE, PAGE, PROT_READ | PROT_WRITE);
    c->ch = (struct channel *)(c->map + PAGE);
    c->peer = peer;
    ring_channel_init(c->ch, 0);
    vmm_ring_init(&c->vmm, (u32)max_req);
    iopm_ring_init(&c->iopm);
    shadow_take(c);
    return (jlong)(intptr_t)c;
}

JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeRing_destroy(JNIEnv *env, jclass cls, jlong h)
{
    struct ctx *c = H(h);
    (void)env; (void)cls;
    if (!c)
        return;
    munmap(c->map, 3 * PAGE);
    free(c);
}

JNIEXPORT jstring JNICALL Java_coopvmm_fuzz_NativeRing_mutantName(JNIEnv *env, jclass cls)
{
    (void)cls;
    return (*env)->NewStringUTF(env, ring_mutant_name());
}

static void default_request(struct packet *p)
{
    memset(p, 0, sizeof(*p));
    p->type = PKT_CONSOLE_WRITE;
}

/* The response to the oldest pending request (status OK, empty payload). */
static void default_response(const struct ctx *c, struct packet *p)
{
    const struct packet *req = iopm_pending_head(&c->iopm);
    memset(p, 0, sizeof(*p));
    if (req) {
        p->id = req->id;
        p->type = (u16)(req->type | RSP_TYPE_FLAG);
    }
}

/* One ring action (enum ring_event ev). pkt: a 64-byte slot image for write_request /
 * write_response, or NULL for the default packet. tape: fuzzer bytes for the peer's
 * rewrites during the call, or NULL. */
JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeRing_step(JNIEnv *env, jclass cls, jlong h, jint ev, jint arg,
                                                        jbyteArray pkt, jbyteArray tape, jintArray out)
{
    struct ctx *c = H(h);
    struct ring_step s;
    struct packet p, got;
    jint o[O_COUNT];
    jbyte *tp = NULL;
    int r = 0;
    (void)cls;

    memset(&s, 0, sizeof(s));
    memset(o, 0, sizeof(o));
    if (pkt && (*env)->GetArrayLength(env, pkt) == (jsize)sizeof(p))
        (*env)->GetByteArrayRegion(env, pkt, 0, sizeof(p), (jbyte *)&p);
    else if (ev == EV_IOPM_WRITE_RESPONSE)
        default_response(c, &p);
    else
        default_request(&p);
    if (tape) {
        c->tape_len = (u32)(*env)->GetArrayLength(env, tape);
        tp = (*env)->GetByteArrayElements(env, tape, NULL);
        c->tape = (const u8 *)tp;
    } else {
        c->tape_len = 0;
        c->tape = NULL;
    }
    c->tape_pos = 0;
    memset(c->read_mask, 0, sizeof(c->read_mask));
    memset(c->slot_reads, 0, sizeof(c->slot_reads));
    c->double_fetch = 0;
    cur = c;
    switch (ev) {
    case EV_VMM_WRITE_REQUEST:      r = vmm_write_request(c->ch, &c->vmm, &p, &s); break;
    case EV_VMM_PUBLISH_REQUESTS:   r = vmm_publish_requests(c->ch, &c->vmm, &s); break;
    case EV_VMM_CONSUME_RESPONSE:   r = vmm_consume_response(c->ch, &c->vmm, &got, &s); break;
    case EV_VMM_DECLARE_IOPM_BROKEN: r = vmm_declare_iopm_broken(c->ch, &c->vmm, &s); break;
    case EV_VMM_PREPARE_SLEEP:      r = vmm_prepare_sleep(c->ch, &c->vmm, &s); break;
    case EV_VMM_FINAL_CHECK:        r = vmm_final_check(c->ch, &c->vmm, &s); break;
    case EV_VMM_WAKE:               r = vmm_wake(c->ch, &c->vmm, &s); break;
    case EV_VMM_SPURIOUS_WAKE:      r = vmm_spurious_wake(&c->vmm, &s); break;
    case EV_IOPM_CONSUME:           r = iopm_consume(c->ch, &c->iopm, &s); break;
    case EV_IOPM_WRITE_RESPONSE:    r = iopm_write_response(c->ch, &c->iopm, &p, &s); break;
    case EV_IOPM_PUBLISH_RESPONSES: r = iopm_publish_responses(c->ch, &c->iopm, &s); break;
    case EV_IOPM_PUBLISH_BOGUS:     r = iopm_publish_bogus(c->ch, &c->iopm, (u32)arg, &s); break;
    case EV_IOPM_PREPARE_SLEEP:     r = iopm_prepare_sleep(c->ch, &c->iopm, &s); break;
    case EV_IOPM_FINAL_CHECK:       r = iopm_final_check(c->ch, &c->iopm, &s); break;
    case EV_IOPM_WAKE:              r = iopm_wake(c->ch, &c->iopm, &s); break;
    case EV_IOPM_SPURIOUS_WAKE:     r = iopm_spurious_wake(&c->iopm, &s); break;
    case EV_VMM_NOTIFY_IOPM:        r = vmm_notify_iopm(c->ch, &c->vmm, &s); break;
    case EV_IOPM_NOTIFY_VMM:        r = iopm_notify_vmm(c->ch, &c->iopm, &s); break;
    case EV_VMM_SEE_IDLE:           r = vmm_see_idle(c->ch, &c->vmm, &s); break;
    case EV_IOPM_SEE_IDLE:          r = iopm_see_idle(c->ch, &c->iopm, &s); break;
    case EV_VMM_SEND_IPI:           r = vmm_send_ipi(c->ch, &c->vmm, &s); break;
    case EV_IOPM_SEND_IPI:          r = iopm_send_ipi(c->ch, &c->iopm, &s); break;
    default:                        r = -1; break;
    }
    cur = NULL;
    o[O_RET] = r;
    if (r >= 1) {
        o[O_EV] = (jint)s.ev;
        o[O_ID] = (jint)s.id;
        o[O_IDX] = (jint)s.idx;
        o[O_NOTIFY] = (jint)s.notify;
        o[O_SLEEP] = (jint)s.sleep;
    }
    o[O_FOREIGN_WRITE] = foreign_write(c);
    o[O_TAPE_USED] = (jint)c->tape_pos;
    o[O_DOUBLE_FETCH] = (jint)c->double_fetch;
    if (tp)
        (*env)->ReleaseByteArrayElements(env, tape, tp, JNI_ABORT);
    c->tape = NULL;
    c->tape_len = 0;
    if (r == 1 && ev == EV_VMM_CONSUME_RESPONSE)
        c->last_rsp = got;                     /* the VMM's private copy of the response */
    (*env)->SetIntArrayRegion(env, out, 0, O_COUNT, o);
}

/* The harness's own accesses to the channel (as the peer, or as an observer): page_jni.c. */
JNIEXPORT jlong JNICALL Java_coopvmm_fuzz_NativeRing_peek32(JNIEnv *env, jclass cls, jlong h, jint off)
{
    (void)cls;
    return page_peek32(env, (const u8 *)H(h)->ch, off);
}

JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeRing_poke32(JNIEnv *env, jclass cls, jlong h, jint off, jint v)
{
    (void)cls;
    page_poke32(env, (u8 *)H(h)->ch, H(h)->shadow, off, v);
}

JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeRing_readBytes(JNIEnv *env, jclass cls, jlong h, jint off, jbyteArray dst)
{
    (void)cls;
    page_read(env, (const u8 *)H(h)->ch, off, dst);
}

JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeRing_writeBytes(JNIEnv *env, jclass cls, jlong h, jint off, jbyteArray src)
{
    (void)cls;
    page_write(env, (u8 *)H(h)->ch, H(h)->shadow, off, src);
}

/* The value ring.c last read (READ_ONCE32) of the control word at off during the last
 * step, or -1 if it did not read it. */
JNIEXPORT jlong JNICALL Java_coopvmm_fuzz_NativeRing_lastRead(JNIEnv *env, jclass cls, jlong h, jint off)
{
    struct ctx *c = H(h);
    (void)cls;
    if (!page_in(env, off, 4) || off >= (jint)CHAN_RINGS_OFFSET || (off & 3))
        return -1;
    if (!(c->read_mask[off / 128] & (1u << ((off / 4) & 31))))
        return -1;
    return (jlong)c->last_read[off / 4];
}

JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeRing_lastResponse(JNIEnv *env, jclass cls, jlong h, jbyteArray dst)
{
    (void)cls;
    if ((*env)->GetArrayLength(env, dst) != (jsize)sizeof(struct packet))
        return;
    (*env)->SetByteArrayRegion(env, dst, 0, sizeof(struct packet), (const jbyte *)&H(h)->last_rsp);
}

/* Private state, layout mirrored in NativeRing.java:
 * [0..6]  vmm: req_pvt next_id max_req rsp_got pc trusted unfilled
 * [7..11] iopm: rsp_pvt req_got pc pending_head pending_count
 * [12..]  iopm pending ids, oldest first (pending_count of them, at most IOPM_PENDING_MAX) */
JNIEXPORT jint JNICALL Java_coopvmm_fuzz_NativeRing_state(JNIEnv *env, jclass cls, jlong h, jintArray out)
{
    struct ctx *c = H(h);
    jint o[12 + IOPM_PENDING_MAX];
    u32 n = c->iopm.pending_count;
    (void)cls;
    memset(o, 0, sizeof(o));
    o[0] = (jint)c->vmm.req_pvt;  o[1] = (jint)c->vmm.next_id; o[2] = (jint)c->vmm.max_req;
    o[3] = (jint)c->vmm.rsp_got;  o[4] = (jint)c->vmm.pc;      o[5] = (jint)c->vmm.trusted;
    o[6] = (jint)c->vmm.unfilled;
    o[7] = (jint)c->iopm.rsp_pvt; o[8] = (jint)c->iopm.req_got; o[9] = (jint)c->iopm.pc;
    o[10] = (jint)c->iopm.pending_head; o[11] = (jint)c->iopm.pending_count;
    if (n > IOPM_PENDING_MAX)
        n = IOPM_PENDING_MAX;
    for (u32 i = 0; i < n; i++)
        o[12 + i] = (jint)c->iopm.pending[(c->iopm.pending_head + i) % IOPM_PENDING_MAX].id;
    (*env)->SetIntArrayRegion(env, out, 0, (jsize)(12 + IOPM_PENDING_MAX), o);
    return (jint)(12 + IOPM_PENDING_MAX);
}

/* Moves a fresh channel to start index `start` (both rings empty there, both event indexes
 * start + 1, as Init shifted), so that the u32 wrap is reachable in a short run. Only
 * before the first step. */
JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeRing_rebase(JNIEnv *env, jclass cls, jlong h, jint start)
{
    struct ctx *c = H(h);
    u32 s = (u32)start;
    (void)env; (void)cls;
    c->ch->vmm.req_prod = s;
    c->ch->vmm.rsp_cons = s;
    c->ch->vmm.rsp_event = s + 1u;
    c->ch->iopm.rsp_prod = s;
    c->ch->iopm.req_cons = s;
    c->ch->iopm.req_event = s + 1u;
    c->vmm.req_pvt = s;
    c->iopm.rsp_pvt = s;
    shadow_take(c);
}
