/* Serving one request: RAM disk reads and writes, console writes, a guest's port I/O on a
 * register of a guest disk controller (docs/shared-zone.md).
 * `req` is the IOPM's private copy, taken once from the slot: it is validated here and
 * never re-read from shared memory. */
#include "iopm.h"
#include "zones.h"
#include "shared_zone.h"
#include "klib.h"

STATIC_ASSERT(sizeof(struct guest_disks) <= GUEST_DEV_ZONE_SIZE, "the guests' disks fit the device zone");
STATIC_ASSERT(sizeof(struct guest_disks) <= IOPM_DISK_SIZE, "and the RAM disk (a mutant keeps them there)");

static int disk_range_ok(u32 off, u32 len)
{
    return len <= PAYLOAD_MAX && off <= IOPM_DISK_SIZE && len <= IOPM_DISK_SIZE - off;
}

void iopm_serve(struct iopm_handoff *h, struct iopm_private *p, const struct packet *req,
                struct packet *rsp)
{
    u8 *disk = (u8 *)(h->zone_start + IOPM_DISK_OFF);
    u8 *console = (u8 *)(h->zone_start + IOPM_CONSOLE_OFF);
    u32 type = req->type, len = req->length, off = req->arg0;

    memset(rsp, 0, sizeof(*rsp));
    rsp->id = req->id;
    rsp->type = (u16)(type | RSP_TYPE_FLAG);
    rsp->status = PKT_STATUS_BAD;

    switch (type) {
    case PKT_DISK_READ:
        if (!disk_range_ok(off, len))
            return;
        memcpy(rsp->payload, disk + off, len);
        rsp->length = (u16)len;
        break;
    case PKT_DISK_WRITE:
        if (!disk_range_ok(off, len))
            return;
        memcpy(disk + off, req->payload, len);
        break;
    case PKT_GUEST_PIO: {
        /* the spec's IopmServe: port dev is a disk controller; SEL selects a sector, a DATA
         * out writes the selected sector, a DATA in reads it (each completes on it), STATUS
         * reads that completion. The disks are device memory (include/zones.h): they
         * outlive a failed owner. */
#ifdef MUTANT_GUEST_DISK_IN_IOPM_MEMORY
        volatile struct guest_disks *g = (volatile struct guest_disks *)disk;   /* the bug: on its own RAM disk */
#else
        volatile struct guest_disks *g = (volatile struct guest_disks *)GUEST_DEV_ZONE;
#endif
        u32 dev = off & PIO_ARG_DEV_MASK, reg = off >> PIO_ARG_REG_SHIFT & PIO_ARG_REG_MASK;
        u32 in = off & PIO_ARG_IN, vcpu, result = 0, data, at;
        if (dev >= GUEST_DEV_MAX || reg >= DISK_REGS || len != PIO_PAYLOAD_LEN)
            return;
        memcpy(&vcpu, req->payload + PIO_OFF_VCPU, sizeof(u32));
        memcpy(&data, req->payload + PIO_OFF_VALUE, sizeof(u32));
        if (vcpu >= VCPU_MAX)
            return;
        at = g->sel[dev][vcpu];
        if (at >= DISK_SECTORS)
            return;
        switch (reg) {
        case DISK_REG_SEL:
            if (in || data >= DISK_SECTORS)
                return;                          /* a write-only register, a sector the disk has not */
            g->sel[dev][vcpu] = data;
            break;
        case DISK_REG_DATA:
            if (in)
                result = g->sect[dev][at];
            else
                g->sect[dev][at] = data;
#ifdef MUTANT_GUEST_COMPLETION_NOT_REPORTED
            if (in)                              /* the bug: a write's completion not recorded */
                g->stat[dev][vcpu] = at;
#else
            g->stat[dev][vcpu] = at;             /* completed on the selected sector */
#endif
            break;
        default:                                 /* DISK_REG_STATUS */
            if (!in)
                return;                          /* read-only */
            result = g->stat[dev][vcpu];
            break;
        }
        memcpy(rsp->payload + PIO_OFF_VCPU, req->payload + PIO_OFF_VCPU, sizeof(u32));
        memcpy(rsp->payload + PIO_OFF_RIP, req->payload + PIO_OFF_RIP, sizeof(u32));
        memcpy(rsp->payload + PIO_OFF_VALUE, &result, sizeof(u32));
        rsp->length = PIO_PAYLOAD_LEN;
        break;
    }
    case PKT_CONSOLE_WRITE:
        if (len > PAYLOAD_MAX)
            return;
        for (u32 i = 0; i < len; i++)
            console[(p->console_len + i) % IOPM_CONSOLE_SIZE] = req->payload[i];
        p->console_len += len;
        break;
    default:
        return;
    }
    rsp->status = PKT_STATUS_OK;
}
