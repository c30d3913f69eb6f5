/* Names of the ring's events, shared words and line fields, as docs/trace-format.md spells
 * them: one table for both trace formats (trace.c writes v1, trace_v2.c writes v2). */
#ifndef COOP_RING_NAMES_H
#define COOP_RING_NAMES_H

#include "types.h"
#include "ring.h"

#define RING_FIELDS_MAX 3u

/* "vmm.write_request", ...; NULL for a number that is no event */
const char *ring_event_name(u32 ev);
/* "req_prod", ...; a slot word (RW_REQ_ID, RW_RSP_ID) is named by its ring, "req" or "rsp",
 * and written "<ring>.<slot>.id" */
const char *ring_word_name(u32 word);
int ring_word_is_slot(u32 word);
/* The fields of a step's line after iopm=, in order: names into k[], values into v[]
 * (RING_FIELDS_MAX each); returns how many. */
u32 ring_step_fields(const struct ring_step *s, const char **k, u32 *v);

#endif
