/* Simulated guest VMs (there is no VT-x under TCG, so no real guest: see README).
 * One guest per channel issues disk reads, disk writes and console writes, now and then a
 * deliberately bad request, and checks every answer against a shadow of the RAM disk. */
#include "vmm.h"
#include "klib.h"

#define BAD_REQUEST_ONE_IN   32u
#define PCT                  100u
#define PCT_READ             40u     /* [0, 40) reads */
#define PCT_WRITE            80u     /* [40, 80) writes, the rest console writes */
#define BAD_KIND_COUNT       3u
#define BAD_UNKNOWN_TYPE     7u
#define BAD_EXTRA_LEN        8u
#define BAD_EXTRA_OFF        16u
#define PRNG_MUL_SEED        2654435761u
#define PRNG_MUL_IOPM        0x9E3779B9u

u32 prng_next(u32 *s)
{
    u32 x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

void guest_init(struct guest *g, u32 iopm, u32 seed)
{
    memset(g, 0, sizeof(*g));
    g->iopm = iopm;
    g->rng = seed * PRNG_MUL_SEED ^ (iopm + 1) * PRNG_MUL_IOPM;
    if (g->rng == 0)
        g->rng = 1;
}

static void console_text(struct packet *p, u32 iopm, u32 id, u32 len)
{
    char text[PAYLOAD_MAX + 1];
    ksnprintf(text, sizeof(text), "guest of iopm %u says hello, request %u.........", iopm, id);
    memcpy(p->payload, text, len);
}

const struct packet *guest_next_request(struct guest *g, u32 id)
{
    struct packet *p = &g->next;
    struct expect *e = &g->exp[id % GUEST_EXPECT_SLOTS];
    u32 kind, len, off, bad;

    if (g->next_valid)
        return p;
    memset(p, 0, sizeof(*p));
    memset(e, 0, sizeof(*e));
    p->id = id;
    e->id = id;
    e->status = PKT_STATUS_OK;
    kind = prng_next(&g->rng) % PCT;
    if (g->no_disk_writes && kind >= PCT_READ && kind < PCT_WRITE)
        kind = PCT_WRITE;                        /* a console write instead */
    len = 1 + prng_next(&g->rng) % PAYLOAD_MAX;
    off = prng_next(&g->rng) % (IOPM_DISK_SIZE - len + 1);
    bad = prng_next(&g->rng) % BAD_REQUEST_ONE_IN == 0;

    if (kind < PCT_READ) {
        p->type = PKT_DISK_READ;
        p->length = (u16)len;
        p->arg0 = off;
    } else if (kind < PCT_WRITE) {
        p->type = PKT_DISK_WRITE;
        p->length = (u16)len;
        p->arg0 = off;
        for (u32 i = 0; i < len; i++)
            p->payload[i] = (u8)prng_next(&g->rng);
    } else {
        p->type = PKT_CONSOLE_WRITE;
        p->length = (u16)len;
        console_text(p, g->iopm, id, len);
    }

    if (bad) {
        g->bad_requests++;
        switch (prng_next(&g->rng) % BAD_KIND_COUNT) {
        case 0:
            p->type = BAD_UNKNOWN_TYPE;
            break;
        case 1:
            p->length = (u16)(PAYLOAD_MAX + 1 + prng_next(&g->rng) % BAD_EXTRA_LEN);
            break;
        default:
            if (p->type == PKT_CONSOLE_WRITE)
                p->type = PKT_DISK_WRITE;
            p->arg0 = IOPM_DISK_SIZE - len + 1 + prng_next(&g->rng) % BAD_EXTRA_OFF;
            break;
        }
        e->type = p->type;
        e->status = PKT_STATUS_BAD;
        e->length = 0;
    } else {
        e->type = p->type;
        if (p->type == PKT_DISK_READ) {
            e->length = (u16)len;
            memcpy(e->data, &g->shadow[off], len);
        } else if (p->type == PKT_DISK_WRITE) {
            memcpy(&g->shadow[off], p->payload, len);
        }
    }
    g->next_valid = 1;
    return p;
}

void guest_written(struct guest *g)
{
    g->next_valid = 0;
}

const char *guest_check_response(struct guest *g, u32 id, const struct packet *rsp)
{
    struct expect *e = &g->exp[id % GUEST_EXPECT_SLOTS];

    if (e->id != id)
        return "answer to a request that is not outstanding";
    if (rsp->id != id)
        return "wrong id (duplicate, lost or reordered response)";
    if (rsp->type != (e->type | RSP_TYPE_FLAG))
        return "wrong type";
    if (rsp->status != e->status)
        return "wrong status";
    if (rsp->length != e->length)
        return "wrong length";
    if (rsp->arg0 != 0)
        return "arg0 not zero";
    if (memcmp(rsp->payload, e->data, e->length) != 0)
        return "wrong data";
    for (u32 i = e->length; i < PAYLOAD_MAX; i++)
        if (rsp->payload[i] != 0)
            return "stale bytes past length";
    e->id = 0;
    return NULL;
}
