/* Records of trace format v2 (docs/trace-format.md, "version 2"): per-CPU logs, each record
 * with the raw values of the shared words its step read and wrote. Pure formatting into a
 * caller's buffer, no lock and no I/O: each CPU formats its own records. Builds for the
 * kernel and for the host (RING_HOST). */
#ifndef COOP_TRACE_V2_H
#define COOP_TRACE_V2_H

#include "types.h"
#include "ring.h"

/* An access of a step that is not a ring step (a boot, routing or management step): a load
 * ('r') or a store ('w') of the word `word`, or of element `index` of a word array, written
 * "<word>.<index>" (a routing word of IOPM k: a clock tick reads every IOPM's beat; a slot of
 * the management ring); index TRACE_NO_INDEX: a single word; or a full barrier ('m', "mb"). */
#define TRACE_NO_INDEX 0xFFFFFFFFu
struct trace_access {
    char kind;
    const char *word;
    u32 index;
    u32 value;
};

/* The three shapes of an access: a single word, element `index` of an array, a barrier. */
static inline struct trace_access trace_word(char kind, const char *word, u32 value)
{
    return (struct trace_access){ kind, word, TRACE_NO_INDEX, value };
}

static inline struct trace_access trace_element(char kind, const char *word, u32 index, u32 value)
{
    return (struct trace_access){ kind, word, index, value };
}

static inline struct trace_access trace_barrier(void)
{
    return (struct trace_access){ 'm', NULL, TRACE_NO_INDEX, 0 };
}

/* a record is at most this long, '\n' included */
#define TRACE_V2_RECORD_MAX 512u

/* "# coop-trace v=2 build=<b> cpus=<n> iopms=<k> ring_slots=.. slot_size=.. scenario=<s> seed=<d>\n" */
u32 trace_v2_header(char *buf, u32 cap, const char *build, u32 cpus, u32 iopms,
                    const char *scenario, u32 seed);
/* "<cpu> <seq> <event> iopm=<k> <fields> <accesses>\n"; returns its length (0: no room) */
u32 trace_v2_ring_record(char *buf, u32 cap, u32 cpu, u32 seq, u32 iopm,
                         const struct ring_step *s);
/* "<cpu> <seq> <event>\n", for log.end and the like */
u32 trace_v2_plain_record(char *buf, u32 cap, u32 cpu, u32 seq, const char *event);
/* "<cpu> <seq> <event> <k[0]>=<v[0]> ...\n", for run.end and the like */
u32 trace_v2_fields_record(char *buf, u32 cap, u32 cpu, u32 seq, const char *event,
                           const char *const *k, const u32 *v, u32 n);

/* "<cpu> <seq> <event> <k[0]>=<v[0]> ... r:<word>=<value> w:...\n": the fields, then the accesses */
u32 trace_v2_access_record(char *buf, u32 cap, u32 cpu, u32 seq, const char *event,
                           const char *const *k, const u32 *v, u32 n,
                           const struct trace_access *acc, u32 n_acc);

#endif
