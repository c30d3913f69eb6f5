/* The ring's names for both trace formats (docs/trace-format.md). */
#include "ring_names.h"

static const char *const ev_names[EV_COUNT] = {
    [EV_VMM_WRITE_REQUEST] = "vmm.write_request",
    [EV_VMM_PUBLISH_REQUESTS] = "vmm.publish_requests",
    [EV_VMM_CONSUME_RESPONSE] = "vmm.consume_response",
    [EV_VMM_DECLARE_IOPM_BROKEN] = "vmm.declare_iopm_broken",
    [EV_VMM_PREPARE_SLEEP] = "vmm.prepare_sleep",
    [EV_VMM_FINAL_CHECK] = "vmm.final_check",
    [EV_VMM_WAKE] = "vmm.wake",
    [EV_VMM_SPURIOUS_WAKE] = "vmm.spurious_wake",
    [EV_IOPM_CONSUME] = "iopm.consume",
    [EV_IOPM_WRITE_RESPONSE] = "iopm.write_response",
    [EV_IOPM_PUBLISH_RESPONSES] = "iopm.publish_responses",
    [EV_IOPM_PUBLISH_BOGUS] = "iopm.publish_bogus",
    [EV_IOPM_PREPARE_SLEEP] = "iopm.prepare_sleep",
    [EV_IOPM_FINAL_CHECK] = "iopm.final_check",
    [EV_IOPM_WAKE] = "iopm.wake",
    [EV_IOPM_SPURIOUS_WAKE] = "iopm.spurious_wake",
    [EV_VMM_NOTIFY_IOPM] = "vmm.notify_iopm",
    [EV_IOPM_NOTIFY_VMM] = "iopm.notify_vmm",
    [EV_VMM_SEND_IPI] = "vmm.send_ipi",
    [EV_IOPM_SEND_IPI] = "iopm.send_ipi",
    [EV_VMM_SEE_IDLE] = "vmm.see_idle",
    [EV_IOPM_SEE_IDLE] = "iopm.see_idle",
};

static const char *const word_names[RW_COUNT] = {
    [RW_REQ_PROD] = "req_prod",
    [RW_RSP_CONS] = "rsp_cons",
    [RW_RSP_EVENT] = "rsp_event",
    [RW_IPI_TO_IOPM] = "ipi_to_iopm",
    [RW_RSP_PROD] = "rsp_prod",
    [RW_REQ_CONS] = "req_cons",
    [RW_REQ_EVENT] = "req_event",
    [RW_IPI_TO_VMM] = "ipi_to_vmm",
    [RW_REQ_ID] = "req",
    [RW_RSP_ID] = "rsp",
};

const char *ring_event_name(u32 ev)
{
    return ev < EV_COUNT ? ev_names[ev] : NULL;
}

const char *ring_word_name(u32 word)
{
    return word < RW_COUNT ? word_names[word] : "?";
}

int ring_word_is_slot(u32 word)
{
    return word == RW_REQ_ID || word == RW_RSP_ID;
}

u32 ring_step_fields(const struct ring_step *s, const char **k, u32 *v)
{
    u32 n = 0;
    switch (s->ev) {
    case EV_VMM_WRITE_REQUEST:
    case EV_IOPM_WRITE_RESPONSE:
        k[n] = "id", v[n++] = s->id;
        k[n] = "pvt", v[n++] = s->idx;
        break;
    case EV_VMM_PUBLISH_REQUESTS:
    case EV_IOPM_PUBLISH_RESPONSES:
    case EV_VMM_DECLARE_IOPM_BROKEN:
    case EV_IOPM_PUBLISH_BOGUS:
        k[n] = "prod", v[n++] = s->idx;
        break;
    case EV_VMM_NOTIFY_IOPM:
    case EV_IOPM_NOTIFY_VMM:
        k[n] = "notify", v[n++] = s->notify;
        break;
    case EV_VMM_CONSUME_RESPONSE:
    case EV_IOPM_CONSUME:
        k[n] = "id", v[n++] = s->id;
        k[n] = "cons", v[n++] = s->idx;
        break;
    case EV_VMM_PREPARE_SLEEP:
    case EV_IOPM_PREPARE_SLEEP:
        k[n] = "event", v[n++] = s->idx;
        break;
    case EV_VMM_FINAL_CHECK:
    case EV_IOPM_FINAL_CHECK:
        k[n] = "sleep", v[n++] = s->sleep;
        break;
    default:
        break;
    }
    return n;
}
