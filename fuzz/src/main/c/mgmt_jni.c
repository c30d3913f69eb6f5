/* JNI glue: the VMM side of the management ring (reference-vmm/ring/mgmt_ring.c, compiled
 * unchanged, for the host) driven from Java (coopvmm.fuzz.NativeMgmt) against a hostile
 * console. One context = one channel page between two PROT_NONE guard pages (the ring sits
 * at its real offset, CHAN_MGMT_OFFSET), the VMM's private state, and during one call a
 * "tape" of fuzzer bytes: before each READ_ONCE32 of a word the console owns, the tape may
 * rewrite it (the console runs on another CPU). Every read of a call is logged with the
 * VMM's three words as they stood at that moment, so the harness can tell what was read,
 * how often, and whether it came before or after the VMM's own store. A shadow of the page
 * catches any write outside the VMM's words (mgmt.vmm and mgmt.ans). */
#define _GNU_SOURCE
#include <jni.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "ring.h"
#include "page_jni.h"
#include "mgmt_ring.h"

#define PAGE 4096u
#define READ_LOG_MAX 32u            /* reads logged per call (vmm_take_command makes 4) */
#define COPY_POISON 0xA5A5A5A5u     /* *out before vmm_take_command: a field it left shows */
#define NOTIFY_UNSET (-1)           /* *notify before a call: not decided */
#ifndef COOP_FUZZ_BUILD
#define COOP_FUZZ_BUILD "ref"       /* build.sh names the mutant the library was built with */
#endif

#define OFF(field) ((u32)offsetof(struct channel, field))
#define IOPM_AREA_OFF OFF(mgmt.iopm)
#define VMM_AREA_OFF  OFF(mgmt.vmm)
#define CMD_RING_OFF  OFF(mgmt.cmd)
#define ANS_RING_OFF  OFF(mgmt.ans)
#define MGMT_RING_BYTES (MGMT_SLOTS * (u32)sizeof(struct mgmt_cmd))

/* the calls, mirrored in NativeMgmt.Op */
enum { OP_TAKE_COMMAND, OP_CAN_ANSWER, OP_ANSWER_COMMAND, OP_MAY_SLEEP };

/* step() out[] layout, mirrored in NativeMgmt.java */
enum { O_RET, O_NOTIFY, O_CMD_N, O_CMD_OP, O_CMD_VCPU, O_CMD_RESERVED, O_FOREIGN_WRITE, O_TAPE_USED,
       O_READS, O_COUNT };

/* one read: where, the value it got, and the VMM's words at that moment */
struct read_rec {
    u32 off, value, ans_prod, cmd_cons, cmd_event;
};
#define READ_REC_INTS (sizeof(struct read_rec) / 4u)

struct mctx {
    u8 *map;                        /* guard | channel | guard */
    struct channel *ch;
    struct mgmt_vmm st;
    const u8 *tape;                 /* during one call only */
    u32 tape_len, tape_pos;
    u8 shadow[ZONE_PAGE];           /* every byte as the console (the harness) left it */
    u32 reads;                      /* reads this call (the log keeps the first READ_LOG_MAX) */
    struct read_rec log[READ_LOG_MAX];
};

static __thread struct mctx *mcur;

static int console_owned(u32 off)
{
    return (off >= IOPM_AREA_OFF && off < IOPM_AREA_OFF + CACHE_LINE)
        || (off >= CMD_RING_OFF && off < CMD_RING_OFF + MGMT_RING_BYTES);
}

static int vmm_owned(u32 off)
{
    return (off >= VMM_AREA_OFF && off < VMM_AREA_OFF + CACHE_LINE)
        || (off >= ANS_RING_OFF && off < ANS_RING_OFF + MGMT_RING_BYTES);
}

/* mgmt_ring.c's reads, handed over by ring_jni.c's hook when no ring step runs */
const void *coop_fuzz_mgmt_before_read(const void *p)
{
    struct mctx *c = mcur;
    uintptr_t a = (uintptr_t)p, base;
    u32 off;

    if (!c)
        return p;
    base = (uintptr_t)c->ch;
    if (a < base || a + 4u > base + ZONE_PAGE)
        abort();                    /* READ_ONCE32 outside the channel: a bounds finding */
    off = (u32)(a - base);
    if (console_owned(off) && c->tape_pos < c->tape_len) {
        u8 op = c->tape[c->tape_pos++];
        if ((op & 1u) && c->tape_pos + 4u <= c->tape_len) {
            u32 v;
            memcpy(&v, c->tape + c->tape_pos, 4);
            c->tape_pos += 4;
            *(volatile u32 *)p = v;             /* the console changes its word right now */
            memcpy(c->shadow + off, &v, 4);
        }
    }
    if (c->reads < READ_LOG_MAX) {
        struct read_rec *r = &c->log[c->reads];
        r->off = off;
        r->value = *(const volatile u32 *)p;
        r->ans_prod = c->ch->mgmt.vmm.ans_prod;
        r->cmd_cons = c->ch->mgmt.vmm.cmd_cons;
        r->cmd_event = c->ch->mgmt.vmm.cmd_event;
    }
    c->reads++;
    return p;
}

static struct mctx *H(jlong h) { return (struct mctx *)(intptr_t)h; }

static void shadow_take(struct mctx *c)
{
    memcpy(c->shadow, c->ch, ZONE_PAGE);
}

/* 1 + the offset of the first byte outside the VMM's words that differs from the shadow
 * (somebody but the console wrote it), or 0 */
static u32 foreign_write(const struct mctx *c)
{
    const u8 *m = (const u8 *)c->ch;
    if (memcmp(m, c->shadow, VMM_AREA_OFF) == 0
        && memcmp(m + VMM_AREA_OFF + CACHE_LINE, c->shadow + VMM_AREA_OFF + CACHE_LINE,
                  ANS_RING_OFF - VMM_AREA_OFF - CACHE_LINE) == 0
        && memcmp(m + ANS_RING_OFF + MGMT_RING_BYTES, c->shadow + ANS_RING_OFF + MGMT_RING_BYTES,
                  ZONE_PAGE - ANS_RING_OFF - MGMT_RING_BYTES) == 0)
        return 0;                   /* the common case: one pass, no per-byte branches */
    for (u32 off = 0; off < ZONE_PAGE; off++)
        if (!vmm_owned(off) && m[off] != c->shadow[off])
            return off + 1u;
    return 0;
}

JNIEXPORT jlong JNICALL Java_coopvmm_fuzz_NativeMgmt_create(JNIEnv *env, jclass cls)
{
    struct mctx *c = calloc(1, sizeof(*c));
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
    ring_channel_init(c->ch, 0);    /* as the VMM lays out a channel (vmm/zones.c) */
    mgmt_ring_init(&c->ch->mgmt);
    mgmt_vmm_init(&c->st);
    shadow_take(c);
    return (jlong)(intptr_t)c;
}

JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeMgmt_destroy(JNIEnv *env, jclass cls, jlong h)
{
    struct mctx *c = H(h);
    (void)env; (void)cls;
    if (!c)
        return;
    munmap(c->map, 3 * PAGE);
    free(c);
}

JNIEXPORT jstring JNICALL Java_coopvmm_fuzz_NativeMgmt_buildName(JNIEnv *env, jclass cls)
{
    (void)cls;
    return (*env)->NewStringUTF(env, COOP_FUZZ_BUILD);
}

/* One call of the VMM side (OP_*). n, ok: the answer for OP_ANSWER_COMMAND. tape: fuzzer
 * bytes for the console's rewrites during the call, or NULL. reads: READ_REC_INTS ints per
 * logged read. */
JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeMgmt_step(JNIEnv *env, jclass cls, jlong h, jint op, jint n, jint ok,
                                                        jbyteArray tape, jintArray out, jintArray reads)
{
    struct mctx *c = H(h);
    struct mgmt_cmd cmd;
    struct mgmt_ans ans;
    struct mgmt_reads rd;          /* what the call read: for trace records, unused here */
    jint o[O_COUNT];
    jint log[READ_LOG_MAX * READ_REC_INTS];
    jbyte *tp = NULL;
    int r, notify = NOTIFY_UNSET;
    (void)cls;

    memset(o, 0, sizeof(o));
    cmd.n = cmd.op = cmd.vcpu = cmd.reserved = COPY_POISON;
    memset(&ans, 0, sizeof(ans));
    ans.n = (u32)n;
    ans.ok = (u32)ok;
    if (tape) {
        c->tape_len = (u32)(*env)->GetArrayLength(env, tape);
        tp = (*env)->GetByteArrayElements(env, tape, NULL);
        c->tape = (const u8 *)tp;
    } else {
        c->tape_len = 0;
        c->tape = NULL;
    }
    c->tape_pos = 0;
    c->reads = 0;
    mcur = c;
    switch (op) {
    case OP_TAKE_COMMAND:   r = vmm_take_command(&c->ch->mgmt, &c->st, &cmd, &rd); break;
    case OP_CAN_ANSWER:     r = vmm_can_answer(&c->ch->mgmt, &c->st); break;
    case OP_ANSWER_COMMAND: r = vmm_answer_command(&c->ch->mgmt, &c->st, &ans, &notify, &rd); break;
    case OP_MAY_SLEEP:      r = vmm_mgmt_may_sleep(&c->ch->mgmt, &c->st, &rd); break;
    default:                r = -1; break;
    }
    mcur = NULL;
    o[O_RET] = r;
    o[O_NOTIFY] = notify;
    o[O_CMD_N] = (jint)cmd.n;
    o[O_CMD_OP] = (jint)cmd.op;
    o[O_CMD_VCPU] = (jint)cmd.vcpu;
    o[O_CMD_RESERVED] = (jint)cmd.reserved;
    o[O_FOREIGN_WRITE] = (jint)foreign_write(c);
    o[O_TAPE_USED] = (jint)c->tape_pos;
    o[O_READS] = (jint)c->reads;
    if (tp)
        (*env)->ReleaseByteArrayElements(env, tape, tp, JNI_ABORT);
    c->tape = NULL;
    c->tape_len = 0;
    memcpy(log, c->log, sizeof(log));
    (*env)->SetIntArrayRegion(env, out, 0, O_COUNT, o);
    (*env)->SetIntArrayRegion(env, reads, 0, (jsize)(READ_LOG_MAX * READ_REC_INTS), log);
}

/* The harness's own accesses to the channel (as the console, or as an observer): page_jni.c. */
JNIEXPORT jlong JNICALL Java_coopvmm_fuzz_NativeMgmt_peek32(JNIEnv *env, jclass cls, jlong h, jint off)
{
    (void)cls;
    return page_peek32(env, (const u8 *)H(h)->ch, off);
}

JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeMgmt_poke32(JNIEnv *env, jclass cls, jlong h, jint off, jint v)
{
    (void)cls;
    page_poke32(env, (u8 *)H(h)->ch, H(h)->shadow, off, v);
}

JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeMgmt_readBytes(JNIEnv *env, jclass cls, jlong h, jint off, jbyteArray dst)
{
    (void)cls;
    page_read(env, (const u8 *)H(h)->ch, off, dst);
}

JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeMgmt_writeBytes(JNIEnv *env, jclass cls, jlong h, jint off, jbyteArray src)
{
    (void)cls;
    page_write(env, (u8 *)H(h)->ch, H(h)->shadow, off, src);
}

/* The VMM's private state: cmd_cons ans_pvt trusted (mirrored in NativeMgmt.State). */
JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeMgmt_state(JNIEnv *env, jclass cls, jlong h, jintArray out)
{
    struct mctx *c = H(h);
    jint o[3];
    (void)cls;
    o[0] = (jint)c->st.cmd_cons;
    o[1] = (jint)c->st.ans_pvt;
    o[2] = (jint)c->st.trusted;
    (*env)->SetIntArrayRegion(env, out, 0, 3, o);
}

/* Moves a fresh ring to command index cmd and answer index ans (both rings empty there,
 * both event indexes one past, as mgmt_ring_init shifted), so that the u32 wrap is
 * reachable in a short run. Only before the first call. */
JNIEXPORT void JNICALL Java_coopvmm_fuzz_NativeMgmt_rebase(JNIEnv *env, jclass cls, jlong h, jint cmd, jint ans)
{
    struct mctx *c = H(h);
    struct chan_mgmt *m = &c->ch->mgmt;
    (void)env; (void)cls;
    m->iopm.cmd_prod = (u32)cmd;
    m->vmm.cmd_cons = (u32)cmd;
    m->vmm.cmd_event = (u32)cmd + 1u;
    m->vmm.ans_prod = (u32)ans;
    m->iopm.ans_cons = (u32)ans;
    m->iopm.ans_event = (u32)ans + 1u;
    c->st.cmd_cons = (u32)cmd;
    c->st.ans_pvt = (u32)ans;
    shadow_take(c);
}
