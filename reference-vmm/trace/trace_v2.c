/* Trace format v2 records (docs/trace-format.md). Bounded appends: a record that does not
 * fit returns 0 and writes nothing the caller will keep. */
#include "trace_v2.h"
#include "ring_names.h"
#include "shared_zone.h"

#define DEC_MAX 10u   /* digits of a u32 */

struct out {
    char *buf;
    u32 cap;
    u32 len;
    int full;
};

static void put_c(struct out *o, char c)
{
    if (o->len < o->cap)
        o->buf[o->len++] = c;
    else
        o->full = 1;
}

static void put_s(struct out *o, const char *s)
{
    while (*s)
        put_c(o, *s++);
}

static void put_u(struct out *o, u32 v)
{
    char tmp[DEC_MAX];
    u32 n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (n)
        put_c(o, tmp[--n]);
}

static void put_kv(struct out *o, const char *k, u32 v)
{
    put_c(o, ' ');
    put_s(o, k);
    put_c(o, '=');
    put_u(o, v);
}

static u32 done(struct out *o)
{
    put_c(o, '\n');
    return o->full ? 0 : o->len;
}

u32 trace_v2_header(char *buf, u32 cap, const char *build, u32 cpus, u32 iopms,
                    const char *scenario, u32 seed)
{
    struct out o = { buf, cap, 0, 0 };
    put_s(&o, "# coop-trace v=2 build=");
    put_s(&o, build);
    put_kv(&o, "cpus", cpus);
    put_kv(&o, "iopms", iopms);
    put_kv(&o, "ring_slots", RING_SLOTS);
    put_kv(&o, "slot_size", SLOT_SIZE);
    put_s(&o, " scenario=");
    put_s(&o, scenario);
    put_kv(&o, "seed", seed);
    return done(&o);
}

static void put_head(struct out *o, u32 cpu, u32 seq, const char *event)
{
    put_u(o, cpu);
    put_c(o, ' ');
    put_u(o, seq);
    put_c(o, ' ');
    put_s(o, event);
}

static void put_access(struct out *o, const struct ring_access *a)
{
    if (a->kind == RA_FENCE) {
        put_s(o, " mb");
        return;
    }
    put_s(o, a->kind == RA_READ ? " r:" : " w:");
    put_s(o, ring_word_name(a->word));
    if (ring_word_is_slot(a->word)) {
        put_c(o, '.');
        put_u(o, a->slot);
        put_s(o, ".id");
    }
    put_c(o, '=');
    put_u(o, a->value);
}

u32 trace_v2_ring_record(char *buf, u32 cap, u32 cpu, u32 seq, u32 iopm,
                         const struct ring_step *s)
{
    struct out o = { buf, cap, 0, 0 };
    const char *k[RING_FIELDS_MAX];
    u32 v[RING_FIELDS_MAX];
    u32 n = ring_step_fields(s, k, v);

    put_head(&o, cpu, seq, ring_event_name(s->ev));
    put_kv(&o, "iopm", iopm);
    for (u32 i = 0; i < n; i++)
        put_kv(&o, k[i], v[i]);
    for (u32 i = 0; i < s->n_acc; i++)
        put_access(&o, &s->acc[i]);
    return done(&o);
}

u32 trace_v2_plain_record(char *buf, u32 cap, u32 cpu, u32 seq, const char *event)
{
    struct out o = { buf, cap, 0, 0 };
    put_head(&o, cpu, seq, event);
    return done(&o);
}

u32 trace_v2_fields_record(char *buf, u32 cap, u32 cpu, u32 seq, const char *event,
                           const char *const *k, const u32 *v, u32 n)
{
    struct out o = { buf, cap, 0, 0 };
    put_head(&o, cpu, seq, event);
    for (u32 i = 0; i < n; i++)
        put_kv(&o, k[i], v[i]);
    return done(&o);
}

u32 trace_v2_access_record(char *buf, u32 cap, u32 cpu, u32 seq, const char *event,
                           const char *const *k, const u32 *v, u32 n,
                           const struct trace_access *acc, u32 n_acc)
{
    struct out o = { buf, cap, 0, 0 };
    put_head(&o, cpu, seq, event);
    for (u32 i = 0; i < n; i++)
        put_kv(&o, k[i], v[i]);
    for (u32 i = 0; i < n_acc; i++) {
        put_c(&o, ' ');
        if (acc[i].kind == 'm') {
            put_s(&o, "mb");
            continue;
        }
        put_c(&o, acc[i].kind);
        put_c(&o, ':');
        put_s(&o, acc[i].word);
        if (acc[i].index != TRACE_NO_INDEX) {
            put_c(&o, '.');
            put_u(&o, acc[i].index);
        }
        put_c(&o, '=');
        put_u(&o, acc[i].value);
    }
    return done(&o);
}
