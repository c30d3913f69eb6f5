/* Host program: prints the shared-zone layout as the C side sees it, one "NAME value" a line,
 * so that a test can compare it with the Java side (which is checked against
 * docs/shared-zone.md). Built for the host: gcc -DRING_HOST -Iinclude tests/layout_dump.c */
#include <stdio.h>
#include "shared_zone.h"

#define SHOW(name, value) printf("%s %lu\n", name, (unsigned long)(value))

int main(void)
{
    SHOW("ZONE_MAGIC", ZONE_MAGIC);
    SHOW("LAYOUT_VERSION", ZONE_LAYOUT_VERSION);
    SHOW("CHANNEL_MAGIC", CHAN_MAGIC);
    SHOW("MAX_IOPMS", MAX_IOPMS);
    SHOW("RING_SLOTS", RING_SLOTS);
    SHOW("SLOT_SIZE", SLOT_SIZE);
    SHOW("PAYLOAD_MAX", PAYLOAD_MAX);
    SHOW("ZONE_SIZE", sizeof(struct shared_zone));
    SHOW("CHANNEL_SIZE", sizeof(struct channel));
    SHOW("CHANNEL_0", offsetof(struct shared_zone, chan));
    SHOW("ZH_IOPM_COUNT", offsetof(struct zone_header, iopm_count));
    SHOW("ZH_RING_SLOTS", offsetof(struct zone_header, ring_slots));
    SHOW("ZH_SLOT_SIZE", offsetof(struct zone_header, slot_size));
    SHOW("ZH_IRQ_CLOCK", offsetof(struct zone_header, irq_clock));
    SHOW("REQ_PROD", offsetof(struct channel, vmm.req_prod));
    SHOW("RSP_CONS", offsetof(struct channel, vmm.rsp_cons));
    SHOW("RSP_EVENT", offsetof(struct channel, vmm.rsp_event));
    SHOW("RSP_PROD", offsetof(struct channel, iopm.rsp_prod));
    SHOW("REQ_CONS", offsetof(struct channel, iopm.req_cons));
    SHOW("REQ_EVENT", offsetof(struct channel, iopm.req_event));
    SHOW("STATUS", offsetof(struct channel, iopm.status));
    SHOW("HEARTBEAT", offsetof(struct channel, iopm.heartbeat));
    SHOW("FAULT_ADDR", offsetof(struct channel, iopm.fault_addr));
    SHOW("IPI_TO_VMM", offsetof(struct channel, iopm.ipi_to_vmm));
    SHOW("IPI_TO_IOPM", offsetof(struct channel, vmm.ipi_to_iopm));
    SHOW("STATUS_NOT_STARTED", CHAN_STATUS_NOT_STARTED);
    SHOW("STATUS_READY", CHAN_STATUS_READY);
    SHOW("STATUS_FAULTED", CHAN_STATUS_FAULTED);
    SHOW("REQ_RING_OFFSET", offsetof(struct channel, req));
    SHOW("RSP_RING_OFFSET", offsetof(struct channel, rsp));
    SHOW("PKT_TYPE", offsetof(struct packet, type));
    SHOW("PKT_LENGTH", offsetof(struct packet, length));
    SHOW("PKT_ARG0", offsetof(struct packet, arg0));
    SHOW("PKT_STATUS", offsetof(struct packet, status));
    SHOW("PKT_PAYLOAD", offsetof(struct packet, payload));
    SHOW("RESPONSE_BIT", RSP_TYPE_FLAG);
    SHOW("IRQ_PEND_SLOTS", IRQ_PEND_SLOTS);
    SHOW("IRQ_ENTRY_SIZE", sizeof(struct irq_entry));
    SHOW("IRQ_ENTRY_DEV", offsetof(struct irq_entry, dev));
    SHOW("IRQ_ENTRY_N", offsetof(struct irq_entry, n));
    SHOW("IRQ_VMM_AREA_OFFSET", offsetof(struct channel, irq.vmm));
    SHOW("IRQ_PROD", offsetof(struct channel, irq.vmm.irq_prod));
    SHOW("IRQ_IOPM_AREA_OFFSET", offsetof(struct channel, irq.iopm));
    SHOW("IRQ_CONS", offsetof(struct channel, irq.iopm.irq_cons));
    SHOW("BEAT_AREA_OFFSET", offsetof(struct channel, irq.beat));
    SHOW("BEAT", offsetof(struct channel, irq.beat.beat));
    SHOW("IRQ_PEND_OFFSET", offsetof(struct channel, irq.pend));
    SHOW("MGMT_SLOTS", MGMT_SLOTS);
    SHOW("MGMT_SLOT_SIZE", sizeof(struct mgmt_cmd));
    SHOW("MGMT_IOPM_AREA_OFFSET", offsetof(struct channel, mgmt.iopm));
    SHOW("CMD_PROD", offsetof(struct channel, mgmt.iopm.cmd_prod));
    SHOW("ANS_CONS", offsetof(struct channel, mgmt.iopm.ans_cons));
    SHOW("ANS_EVENT", offsetof(struct channel, mgmt.iopm.ans_event));
    SHOW("MGMT_IPI_TO_VMM", offsetof(struct channel, mgmt.iopm.ipi_to_vmm));
    SHOW("MGMT_VMM_AREA_OFFSET", offsetof(struct channel, mgmt.vmm));
    SHOW("ANS_PROD", offsetof(struct channel, mgmt.vmm.ans_prod));
    SHOW("CMD_CONS", offsetof(struct channel, mgmt.vmm.cmd_cons));
    SHOW("CMD_EVENT", offsetof(struct channel, mgmt.vmm.cmd_event));
    SHOW("MGMT_IPI_TO_IOPM", offsetof(struct channel, mgmt.vmm.ipi_to_iopm));
    SHOW("CMD_RING_OFFSET", offsetof(struct channel, mgmt.cmd));
    SHOW("ANS_RING_OFFSET", offsetof(struct channel, mgmt.ans));
    SHOW("CMD_N", offsetof(struct mgmt_cmd, n));
    SHOW("CMD_OP", offsetof(struct mgmt_cmd, op));
    SHOW("CMD_VCPU", offsetof(struct mgmt_cmd, vcpu));
    SHOW("ANS_N", offsetof(struct mgmt_ans, n));
    SHOW("ANS_OK", offsetof(struct mgmt_ans, ok));
    return 0;
}
