----------------------------- MODULE CoopRingTSO -----------------------------
(***************************************************************************)
(* The ring of CoopRing.tla on x86-TSO, at the granularity of the memory   *)
(* accesses of reference-vmm/ring/ring.c.                                  *)
(*                                                                         *)
(* Memory model (x86-TSO, Owens, Sarkar and Sewell):                       *)
(*  - each CPU (the VMM on the BSP, the IOPM on its AP) has one FIFO store *)
(*    buffer; a store enters its own CPU's buffer, and a separate step,    *)
(*    Flush, taken at any time, makes the oldest buffered store visible;   *)
(*  - a load takes the newest store to its address from its own buffer,    *)
(*    else memory (store forwarding);                                      *)
(*  - ring_mb() (MFENCE, or a locked instruction) waits until its CPU's    *)
(*    buffer is empty;                                                     *)
(*  - ring_wmb() and ring_rmb() compile to nothing on x86 (release and     *)
(*    acquire fences are compiler barriers only): each is a step of its    *)
(*    own here, at its place in ring.c, that waits for nothing.            *)
(* Loads are performed in program order, each at its step, and stores      *)
(* leave the buffer in program order: those two facts are what x86 gives   *)
(* instead of the write and read barriers.                                 *)
(*                                                                         *)
(* Granularity (the Single Access Rule): every step performs at most one   *)
(* access to a word the other CPU writes or reads: one load of a peer's    *)
(* word or of a slot the peer wrote, or one store.  Two things are folded  *)
(* into a neighbouring step, and lose no interleaving:                     *)
(*  - a load of a word the CPU itself owns (its own index, its own event   *)
(*    index): nobody else writes it and forwarding returns its own last    *)
(*    store, so the value cannot depend on the interleaving;               *)
(*  - a full barrier and the load after it (ring_mb(); READ_ONCE(x)): the  *)
(*    barrier writes nothing, so "wait for the empty buffer, then load" is *)
(*    one step (the load is enabled only once the buffer is empty).        *)
(* A check whose load fails makes the C function return 0 having stored    *)
(* nothing: such an attempt is a stuttering step and is left out (the      *)
(* step is enabled only when its check passes).  A packet is one word, its *)
(* id (slot_write's words are stores to one slot, in order).  Sending the  *)
(* IPI is a step of its own after the load of the peer's event index that  *)
(* decided it (ring.c's send_ipi): a store to the APIC, ordered behind the *)
(* CPU's buffered stores (SendIpiToIopm).                                  *)
(* PeerFaults is not modelled (CoopRingHostile.cfg covers a hostile IOPM). *)
(*                                                                         *)
(* The barriers of ring.c are a constant, Fences: the names of the ones    *)
(* present.  A config that leaves one out checks the code without it.      *)
(*                                                                         *)
(* Barrier of ring.c (its name in Fences), line, needed on x86-TSO, and    *)
(* the TLC verdict that shows it (N = 2, MaxReq = 2, BufDepth = 2):        *)
(*                                                                         *)
(*  barrier          line     x86  verdict: config or mutant, exit,        *)
(*                                 property, distinct states, depth        *)
(*  VmmPublishWmb    278 wmb  no   CoopRingTSONoWmb.cfg (all 4 wmb out):   *)
(*  VmmConsumeWmb    354 wmb  no     exit 0, holds (Refines, safety and    *)
(*  IopmConsumeWmb   478 wmb  no     liveness), 7,023 distinct, depth 59   *)
(*  IopmPublishWmb   534 wmb  no                                           *)
(*  VmmConsumeRmb    340 rmb  no   CoopRingTSONoRmb.cfg (both rmb out):    *)
(*  IopmConsumeRmb   467 rmb  no     exit 0, holds, 8,098, depth 63        *)
(*  VmmPublishMb     300 mb   YES  TsoNoVmmPublishMb: exit 1,              *)
(*                                   SleeperHasWakeup, 4,075, depth 33     *)
(*  IopmPublishMb    550 mb   YES  TsoNoIopmPublishMb: exit 1,             *)
(*                                   SleeperHasWakeup, 9,026, depth 48     *)
(*  VmmSleepMb       417 mb   YES  TsoNoVmmSleepMb: exit 1,                *)
(*                                   SleeperHasWakeup, 10,592, depth 45    *)
(*  IopmSleepMb      630 mb   YES  TsoNoIopmSleepMb: exit 1,               *)
(*                                   SleeperHasWakeup, 3,321, depth 31     *)
(*  (all ten)                      CoopRingTSO.cfg: exit 0, holds,         *)
(*                                   8,872 distinct, depth 67              *)
(* ring_mb() at 151 (ring_channel_init) and 575 (iopm_publish_bogus) are   *)
(* outside this model (initialisation; PeerFaults).                        *)
(*                                                                         *)
(* Why the write and read barriers can go, ON x86-TSO ONLY:                *)
(*  - a wmb orders earlier stores before later stores (packet before       *)
(*    index), and at 354/478 an earlier load (the packet copied out)       *)
(*    before a later store (the slot freed).  x86 never reorders a store   *)
(*    with an earlier store (the buffer is FIFO) nor with an earlier load  *)
(*    (a load is done when it issues; a store waits in the buffer);        *)
(*  - a rmb orders the index load before the packet load; x86 never        *)
(*    reorders two loads.                                                  *)
(* On Arm or POWER every one of them is needed: stores to different        *)
(* addresses may become visible out of order and loads may be satisfied    *)
(* out of order, so a consumer could see the new index and the old packet. *)
(* (At 354/478 a plain store-store barrier, Arm's "dmb ishst" as in        *)
(* Linux's smp_wmb, would not even be enough: the load of the packet must  *)
(* be ordered before the store freeing the slot.  ring_arch.h's release    *)
(* fence does order it.)  The model takes the accesses in program order:   *)
(* ring.c's are all volatile, which the compiler does not reorder among    *)
(* themselves.  On x86 the wmb/rmb cost no instruction: "not needed on     *)
(* x86" is no reason to take them out of the portable code.                *)
(*                                                                         *)
(* Why the full barriers stay: each pairs a store with a later load of the *)
(* peer's word (publish: W prod, R event; going to sleep: W event, R       *)
(* prod), the one reordering x86 does (a store waits in the buffer while   *)
(* the later load reads memory).  Without it both sides can read each      *)
(* other's old word: the producer sees no event index to notify, the       *)
(* consumer sees no new index and sleeps: a lost wakeup, found by          *)
(* SleeperHasWakeup.                                                       *)
(***************************************************************************)
EXTENDS Naturals, Sequences

CONSTANTS
    N,          \* slots in each ring
    IdxMod,     \* free-running indexes wrap here (stands for 2^32)
    MaxReq,     \* requests the VMM issues in one behaviour
    BufDepth,   \* stores a store buffer holds (a bound for TLC)
    Fences      \* the barriers of ring.c that are present (names below)

AllFences == {"VmmPublishWmb", "VmmPublishMb", "VmmConsumeRmb", "VmmConsumeWmb",
              "VmmSleepMb", "IopmConsumeRmb", "IopmConsumeWmb", "IopmPublishWmb",
              "IopmPublishMb", "IopmSleepMb"}

ASSUME N \in Nat \ {0} /\ IdxMod \in Nat /\ IdxMod >= 2 * N /\ IdxMod % N = 0
ASSUME N <= 10 /\ MaxReq \in Nat /\ BufDepth \in Nat \ {0}
ASSUME Fences \subseteq AllFences

\* The shared words, by address.  VMM-controlled area, IOPM-controlled
\* area, the request slots (VMM writes), the response slots (IOPM writes).
ReqProd == 1   RspCons == 2   RspEvent == 3
RspProd == 4   ReqCons == 5   ReqEvent == 6
IpiToIopm == 7   IpiToVmm == 8   \* an IPI: a store to the local APIC
ReqSlot(s) == 10 + s
RspSlot(s) == 20 + s
VmmAddrs  == {ReqProd, RspCons, RspEvent} \cup {ReqSlot(s) : s \in 0 .. N - 1}
IopmAddrs == {RspProd, ReqCons, ReqEvent} \cup {RspSlot(s) : s \in 0 .. N - 1}
Addrs == VmmAddrs \cup IopmAddrs

VARIABLES
    mem,           \* memory: the value of each shared word all CPUs can see
    vBuf, iBuf,    \* the VMM's and the IOPM's store buffers: <<addr, value>>, oldest first
    \* VMM private state (as CoopRing)
    reqPvt, nextId, rspGot,
    vmmPc,         \* where the VMM is in ring.c (below)
    vOld,          \* register: vmm_publish_requests's "old" req_prod
    vReg,          \* register: the packet copied out of a response slot
    \* IOPM private state (as CoopRing)
    rspPvt, reqGot, pending,
    iopmPc,
    iOld, iReg,
    \* IPI pending bits
    ipiVmm, ipiIopm

vars == <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vmmPc, vOld, vReg, rspPvt,
          reqGot, pending, iopmPc, iOld, iReg, ipiVmm, ipiIopm>>

Idx == 0 .. IdxMod - 1
Ids == 0 .. MaxReq
Inc(i) == (i + 1) % IdxMod
Dist(c, p) == (p + IdxMod - c) % IdxMod
Slot(i) == i % N
NeedNotify(old, new, event) == Dist(event, new) < Dist(old, new)

\* What a load by the CPU with buffer b returns: its newest store to a,
\* else memory.
Load(b, a) ==
    LET hits == {i \in 1 .. Len(b) : b[i][1] = a}
    IN  IF hits = {} THEN mem[a]
        ELSE b[CHOOSE i \in hits : \A j \in hits : j <= i][2]
VView(a) == Load(vBuf, a)   \* the VMM's view of a word
IView(a) == Load(iBuf, a)   \* the IOPM's view

\* CoopRing's view of the pc (see "Refinement").  A side past the store of
\* its producer index is CoopRing's "notify" once that store is visible
\* (published: the index in memory is its own).  A side that saw the ring
\* empty is CoopRing's "idle" until its new event index is visible: at
\* "sleepSt", and at "check" while the store is still in its buffer.
Buffered(b, a) == \E i \in 1 .. Len(b) : b[i][1] = a
CRPc(pc, published, armed) ==
    IF pc = "sleepSt" \/ (pc = "check" /\ ~armed) THEN "idle"
    ELSE IF pc = "check" THEN "check"
    ELSE IF pc = "sleep" THEN "sleep"
    ELSE IF pc = "pubMb" /\ published THEN "notify"
    ELSE IF pc = "ipi" THEN "ipi" ELSE "run"
CRVmmPc == CRPc(vmmPc, mem[ReqProd] = reqPvt, ~Buffered(vBuf, RspEvent))
CRIopmPc == CRPc(iopmPc, mem[RspProd] = rspPvt, ~Buffered(iBuf, ReqEvent))

\* A store enters its CPU's buffer (bounded for TLC: a full buffer stalls
\* the store until a flush).
CanStore(b) == Len(b) < BufDepth
Store(b, a, v) == Append(b, <<a, v>>)

Has(f) == f \in Fences

\* Sending an IPI is a store to the local APIC's ICR (xAPIC, uncached MMIO,
\* as reference-vmm/lib/apic.c does it): x86 does not let it pass the
\* CPU's earlier stores, so it joins the end of the buffer and the IPI is
\* pending once it leaves (right away if the buffer is empty, as it is
\* after a ring_mb()).  (An x2APIC WRMSR is not ordered that way; the
\* ring_mb() before it covers that too.)  It does not count against
\* BufDepth.
SendIpiToIopm ==
    IF vBuf # <<>>
    THEN vBuf' = Append(vBuf, <<IpiToIopm, 1>>) /\ UNCHANGED ipiIopm
    ELSE ipiIopm' = TRUE /\ UNCHANGED vBuf
SendIpiToVmm ==
    IF iBuf # <<>>
    THEN iBuf' = Append(iBuf, <<IpiToVmm, 1>>) /\ UNCHANGED ipiVmm
    ELSE ipiVmm' = TRUE /\ UNCHANGED iBuf

\* The sub-steps of the VMM and of the IOPM in ring.c, by pc:
\*   "run"                   between functions (CoopRing's "run")
\*   "wr"                    vmm_write_request after its load of req_cons
\*   "pubWmb" is not a pc: the publish's wmb step goes from "run" to "pub"
\*   "pub"                   vmm_publish_requests, past its wmb, before its store
\*   "pubMb"                 past the store of req_prod: its mb + load of req_event
\*   "ipi"                   the load decided to notify: the IPI send is next
\*   "conRmb", "conSlot", "conWmb", "con"
\*                           vmm_consume_response past its load of rsp_prod:
\*                           at its rmb, its slot load, its wmb, its store
\*   "sleepSt"               past vmm_see_idle (its load of rsp_prod saw none):
\*                           vmm_prepare_sleep's store of rsp_event is next
\*   "check"                 vmm_final_check pending (its mb + load)
\*   "sleep"
\* The IOPM has the same ones ("wr": iopm_write_response past its load of
\* rsp_cons; "con*": iopm_consume).
Pcs == {"run", "wr", "pub", "pubMb", "ipi", "conRmb", "conSlot", "conWmb", "con",
        "sleepSt", "check", "sleep"}

\* The pc of a function's next sub-step, skipping a barrier that is absent.
AfterConProd(f) == IF Has(f) THEN "conRmb" ELSE "conSlot"
AfterConSlot(f) == IF Has(f) THEN "conWmb" ELSE "con"

-----------------------------------------------------------------------------
Init ==
    /\ mem = [a \in Addrs |-> IF a \in {RspEvent, ReqEvent} THEN 1 ELSE 0]
    /\ vBuf = <<>> /\ iBuf = <<>>
    /\ reqPvt = 0 /\ nextId = 1 /\ rspGot = <<>> /\ vmmPc = "run"
    /\ vOld = 0 /\ vReg = 0
    /\ rspPvt = 0 /\ reqGot = <<>> /\ pending = <<>> /\ iopmPc = "run"
    /\ iOld = 0 /\ iReg = 0
    /\ ipiVmm = FALSE /\ ipiIopm = FALSE

vmmPriv  == <<reqPvt, nextId, rspGot, vmmPc, vOld, vReg>>
iopmPriv == <<rspPvt, reqGot, pending, iopmPc, iOld, iReg>>

-----------------------------------------------------------------------------
(* VMM steps *)

\* vmm_write_request, load of the IOPM's req_cons: the ring is not full.
VmmWriteRequestReadCons ==
    /\ vmmPc = "run" /\ nextId <= MaxReq
    /\ Dist(mem[ReqCons], reqPvt) < N
    /\ vmmPc' = "wr"
    /\ UNCHANGED <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vOld, vReg, iopmPriv,
                   ipiVmm, ipiIopm>>

\* vmm_write_request, the store of the packet into its slot (CoopRing's
\* VmmWriteRequest).
VmmWriteRequest ==
    /\ vmmPc = "wr" /\ CanStore(vBuf)
    /\ vBuf' = Store(vBuf, ReqSlot(Slot(reqPvt)), nextId)
    /\ reqPvt' = Inc(reqPvt)
    /\ nextId' = nextId + 1
    /\ vmmPc' = "run"
    /\ UNCHANGED <<mem, iBuf, rspGot, vOld, vReg, iopmPriv, ipiVmm, ipiIopm>>

\* vmm_publish_requests: its own req_prod differs from req_pvt; the write
\* barrier "packets before the index" (nothing to wait for on x86).
VmmPublishWmb ==
    /\ Has("VmmPublishWmb")
    /\ vmmPc = "run" /\ VView(ReqProd) # reqPvt
    /\ vmmPc' = "pub"
    /\ UNCHANGED <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vOld, vReg, iopmPriv,
                   ipiVmm, ipiIopm>>

\* vmm_publish_requests, the store of req_prod (CoopRing's
\* VmmPublishRequests happens when it becomes visible: see the refinement).
VmmPublishRequests ==
    /\ IF Has("VmmPublishWmb") THEN vmmPc = "pub"
                               ELSE vmmPc = "run" /\ VView(ReqProd) # reqPvt
    /\ CanStore(vBuf)
    /\ vOld' = VView(ReqProd)
    /\ vBuf' = Store(vBuf, ReqProd, reqPvt)
    /\ vmmPc' = "pubMb"
    /\ UNCHANGED <<mem, iBuf, reqPvt, nextId, rspGot, vReg, iopmPriv, ipiVmm,
                   ipiIopm>>

\* vmm_publish_requests, the full barrier "index before reading req_event"
\* (waits for the empty buffer), then the load of the IOPM's req_event:
\* notify iff it lies in (old, new] (CoopRing's VmmNotifyIopm).
VmmPublishNotify ==
    /\ vmmPc = "pubMb"
    /\ Has("VmmPublishMb") => vBuf = <<>>
    /\ vmmPc' = IF NeedNotify(vOld, reqPvt, mem[ReqEvent]) THEN "ipi" ELSE "run"
    /\ vOld' = 0                \* a dead register is cleared (fewer states)
    /\ UNCHANGED <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vReg, iopmPriv,
                   ipiVmm, ipiIopm>>

\* vmm_send_ipi: the IPI the load decided on (CoopRing's VmmSendIpi).
VmmSendIpi ==
    /\ vmmPc = "ipi"
    /\ SendIpiToIopm
    /\ vmmPc' = "run"
    /\ UNCHANGED <<mem, iBuf, reqPvt, nextId, rspGot, vOld, vReg, iopmPriv,
                   ipiVmm>>

\* vmm_consume_response, load of the IOPM's rsp_prod: a response is there.
VmmConsumeReadProd ==
    /\ vmmPc = "run"
    /\ mem[RspProd] # VView(RspCons)
    /\ Dist(VView(RspCons), mem[RspProd]) <= N
    /\ vmmPc' = AfterConProd("VmmConsumeRmb")
    /\ UNCHANGED <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vOld, vReg, iopmPriv,
                   ipiVmm, ipiIopm>>

\* vmm_consume_response, the read barrier "index before the packet".
VmmConsumeRmb ==
    /\ vmmPc = "conRmb"
    /\ vmmPc' = "conSlot"
    /\ UNCHANGED <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vOld, vReg, iopmPriv,
                   ipiVmm, ipiIopm>>

\* vmm_consume_response, load of the packet out of its response slot.
VmmConsumeReadSlot ==
    /\ vmmPc = "conSlot"
    /\ vReg' = Load(vBuf, RspSlot(Slot(VView(RspCons))))
    /\ vmmPc' = AfterConSlot("VmmConsumeWmb")
    /\ UNCHANGED <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vOld, iopmPriv,
                   ipiVmm, ipiIopm>>

\* vmm_consume_response, the write barrier "packet copied before the slot
\* is freed".
VmmConsumeWmb ==
    /\ vmmPc = "conWmb"
    /\ vmmPc' = "con"
    /\ UNCHANGED <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vOld, vReg, iopmPriv,
                   ipiVmm, ipiIopm>>

\* vmm_consume_response, the store of rsp_cons + 1 (CoopRing's
\* VmmConsumeResponse).
VmmConsumeResponse ==
    /\ vmmPc = "con" /\ CanStore(vBuf)
    /\ vBuf' = Store(vBuf, RspCons, Inc(VView(RspCons)))
    /\ rspGot' = Append(rspGot, vReg)
    /\ vmmPc' = "run"
    /\ vReg' = 0
    /\ UNCHANGED <<mem, iBuf, reqPvt, nextId, vOld, iopmPriv, ipiVmm,
                   ipiIopm>>

\* vmm_see_idle, load of the IOPM's rsp_prod: no response, its own req_prod
\* is req_pvt, a request is outstanding (CoopRing's VmmSeeIdle).
VmmSeeIdle ==
    /\ vmmPc = "run"
    /\ mem[RspProd] = VView(RspCons)
    /\ VView(ReqProd) = reqPvt
    /\ Len(rspGot) < nextId - 1
    /\ vmmPc' = "sleepSt"
    /\ UNCHANGED <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vOld, vReg, iopmPriv,
                   ipiVmm, ipiIopm>>

\* vmm_prepare_sleep, the store of rsp_event = rsp_cons + 1 (CoopRing's
\* VmmPrepareSleep happens when it becomes visible: see the refinement).
VmmPrepareSleep ==
    /\ vmmPc = "sleepSt" /\ CanStore(vBuf)
    /\ vBuf' = Store(vBuf, RspEvent, Inc(VView(RspCons)))
    /\ vmmPc' = "check"
    /\ UNCHANGED <<mem, iBuf, reqPvt, nextId, rspGot, vOld, vReg, iopmPriv,
                   ipiVmm, ipiIopm>>

\* vmm_final_check: the full barrier "rsp_event before re-reading rsp_prod",
\* then the load of rsp_prod from memory: sleep only if still no response.
VmmFinalCheck ==
    /\ vmmPc = "check"
    /\ Has("VmmSleepMb") => vBuf = <<>>
    /\ vmmPc' = IF mem[RspProd] = VView(RspCons) THEN "sleep" ELSE "run"
    /\ UNCHANGED <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vOld, vReg, iopmPriv,
                   ipiVmm, ipiIopm>>

\* The IPI handler on the BSP: takes the pending IPI, wakes a sleeping VMM.
VmmWake ==
    /\ ipiVmm
    /\ ipiVmm' = FALSE
    /\ vmmPc' = IF vmmPc = "sleep" THEN "run" ELSE vmmPc
    /\ UNCHANGED <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vOld, vReg, iopmPriv,
                   ipiIopm>>

\* A wake with no IPI: allowed, never relied on (no fairness).
VmmSpuriousWake ==
    /\ vmmPc = "sleep"
    /\ vmmPc' = "run"
    /\ UNCHANGED <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vOld, vReg, iopmPriv,
                   ipiVmm, ipiIopm>>

-----------------------------------------------------------------------------
(* IOPM steps *)

\* iopm_consume, load of the VMM's req_prod: a request is there.
IopmConsumeReadProd ==
    /\ iopmPc = "run"
    /\ mem[ReqProd] # IView(ReqCons)
    /\ iopmPc' = AfterConProd("IopmConsumeRmb")
    /\ UNCHANGED <<mem, vBuf, iBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiVmm, ipiIopm>>

\* iopm_consume, the read barrier "index before the packet".
IopmConsumeRmb ==
    /\ iopmPc = "conRmb"
    /\ iopmPc' = "conSlot"
    /\ UNCHANGED <<mem, vBuf, iBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiVmm, ipiIopm>>

\* iopm_consume, load of the packet out of its request slot.
IopmConsumeReadSlot ==
    /\ iopmPc = "conSlot"
    /\ iReg' = Load(iBuf, ReqSlot(Slot(IView(ReqCons))))
    /\ iopmPc' = AfterConSlot("IopmConsumeWmb")
    /\ UNCHANGED <<mem, vBuf, iBuf, vmmPriv, rspPvt, reqGot, pending, iOld,
                   ipiVmm, ipiIopm>>

\* iopm_consume, the write barrier "packet copied before the slot is freed".
IopmConsumeWmb ==
    /\ iopmPc = "conWmb"
    /\ iopmPc' = "con"
    /\ UNCHANGED <<mem, vBuf, iBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiVmm, ipiIopm>>

\* iopm_consume, the store of req_cons + 1 (CoopRing's IopmConsume).
IopmConsume ==
    /\ iopmPc = "con" /\ CanStore(iBuf)
    /\ iBuf' = Store(iBuf, ReqCons, Inc(IView(ReqCons)))
    /\ reqGot' = Append(reqGot, iReg)
    /\ pending' = Append(pending, iReg)
    /\ iopmPc' = "run"
    /\ iReg' = 0
    /\ UNCHANGED <<mem, vBuf, vmmPriv, rspPvt, iOld, ipiVmm, ipiIopm>>

\* iopm_write_response, load of the VMM's rsp_cons: the response ring is
\* not full.
IopmWriteResponseReadCons ==
    /\ iopmPc = "run" /\ pending # <<>>
    /\ Dist(mem[RspCons], rspPvt) < N
    /\ iopmPc' = "wr"
    /\ UNCHANGED <<mem, vBuf, iBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiVmm, ipiIopm>>

\* iopm_write_response, the store of the response into its slot (CoopRing's
\* IopmWriteResponse).
IopmWriteResponse ==
    /\ iopmPc = "wr" /\ CanStore(iBuf)
    /\ iBuf' = Store(iBuf, RspSlot(Slot(rspPvt)), Head(pending))
    /\ rspPvt' = Inc(rspPvt)
    /\ pending' = Tail(pending)
    /\ iopmPc' = "run"
    /\ UNCHANGED <<mem, vBuf, vmmPriv, reqGot, iOld, iReg, ipiVmm, ipiIopm>>

\* iopm_publish_responses: its own rsp_prod differs from rsp_pvt; the write
\* barrier "packets before the index".
IopmPublishWmb ==
    /\ Has("IopmPublishWmb")
    /\ iopmPc = "run" /\ IView(RspProd) # rspPvt
    /\ iopmPc' = "pub"
    /\ UNCHANGED <<mem, vBuf, iBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiVmm, ipiIopm>>

\* iopm_publish_responses, the store of rsp_prod.
IopmPublishResponses ==
    /\ IF Has("IopmPublishWmb") THEN iopmPc = "pub"
                                ELSE iopmPc = "run" /\ IView(RspProd) # rspPvt
    /\ CanStore(iBuf)
    /\ iOld' = IView(RspProd)
    /\ iBuf' = Store(iBuf, RspProd, rspPvt)
    /\ iopmPc' = "pubMb"
    /\ UNCHANGED <<mem, vBuf, vmmPriv, rspPvt, reqGot, pending, iReg, ipiVmm,
                   ipiIopm>>

\* iopm_publish_responses, the full barrier "index before reading
\* rsp_event", then the load of the VMM's rsp_event: notify iff in (old,
\* new] (CoopRing's IopmNotifyVmm).
IopmPublishNotify ==
    /\ iopmPc = "pubMb"
    /\ Has("IopmPublishMb") => iBuf = <<>>
    /\ iopmPc' = IF NeedNotify(iOld, rspPvt, mem[RspEvent]) THEN "ipi" ELSE "run"
    /\ iOld' = 0
    /\ UNCHANGED <<mem, vBuf, iBuf, vmmPriv, rspPvt, reqGot, pending, iReg,
                   ipiVmm, ipiIopm>>

\* iopm_send_ipi (CoopRing's IopmSendIpi).
IopmSendIpi ==
    /\ iopmPc = "ipi"
    /\ SendIpiToVmm
    /\ iopmPc' = "run"
    /\ UNCHANGED <<mem, vBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiIopm>>

\* iopm_see_idle, load of the VMM's req_prod: no request, nothing left to
\* answer or publish (CoopRing's IopmSeeIdle).
IopmSeeIdle ==
    /\ iopmPc = "run" /\ pending = <<>>
    /\ mem[ReqProd] = IView(ReqCons)
    /\ IView(RspProd) = rspPvt
    /\ iopmPc' = "sleepSt"
    /\ UNCHANGED <<mem, vBuf, iBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiVmm, ipiIopm>>

\* iopm_prepare_sleep, the store of req_event = req_cons + 1 (CoopRing's
\* IopmPrepareSleep when it becomes visible).
IopmPrepareSleep ==
    /\ iopmPc = "sleepSt" /\ CanStore(iBuf)
    /\ iBuf' = Store(iBuf, ReqEvent, Inc(IView(ReqCons)))
    /\ iopmPc' = "check"
    /\ UNCHANGED <<mem, vBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiVmm, ipiIopm>>

\* iopm_final_check: the full barrier "req_event before re-reading
\* req_prod", then the load of req_prod: sleep only if still no request.
IopmFinalCheck ==
    /\ iopmPc = "check"
    /\ Has("IopmSleepMb") => iBuf = <<>>
    /\ iopmPc' = IF mem[ReqProd] = IView(ReqCons) THEN "sleep" ELSE "run"
    /\ UNCHANGED <<mem, vBuf, iBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiVmm, ipiIopm>>

\* The IPI handler on the AP.
IopmWake ==
    /\ ipiIopm
    /\ ipiIopm' = FALSE
    /\ iopmPc' = IF iopmPc = "sleep" THEN "run" ELSE iopmPc
    /\ UNCHANGED <<mem, vBuf, iBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiVmm>>

\* A wake with no IPI: allowed, never relied on.
IopmSpuriousWake ==
    /\ iopmPc = "sleep"
    /\ iopmPc' = "run"
    /\ UNCHANGED <<mem, vBuf, iBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiVmm, ipiIopm>>

-----------------------------------------------------------------------------
(* The memory system *)

\* The oldest store in a buffer becomes visible.
FlushVmm ==
    /\ vBuf # <<>>
    /\ LET e == Head(vBuf) IN
       /\ mem' = IF e[1] = IpiToIopm THEN mem ELSE [mem EXCEPT ![e[1]] = e[2]]
       /\ ipiIopm' = (ipiIopm \/ e[1] = IpiToIopm)
    /\ vBuf' = Tail(vBuf)
    /\ UNCHANGED <<iBuf, vmmPriv, iopmPriv, ipiVmm>>

FlushIopm ==
    /\ iBuf # <<>>
    /\ LET e == Head(iBuf) IN
       /\ mem' = IF e[1] = IpiToVmm THEN mem ELSE [mem EXCEPT ![e[1]] = e[2]]
       /\ ipiVmm' = (ipiVmm \/ e[1] = IpiToVmm)
    /\ iBuf' = Tail(iBuf)
    /\ UNCHANGED <<vBuf, vmmPriv, iopmPriv, ipiIopm>>

-----------------------------------------------------------------------------
\* Every request answered and its answer consumed: the behaviour may
\* stutter here without it being a deadlock.
Done == Len(rspGot) = MaxReq /\ nextId > MaxReq
Finished == Done /\ UNCHANGED vars

VmmStep == VmmWriteRequestReadCons \/ VmmWriteRequest \/ VmmPublishWmb
           \/ VmmPublishRequests \/ VmmPublishNotify \/ VmmSendIpi
           \/ VmmConsumeReadProd \/ VmmConsumeRmb \/ VmmConsumeReadSlot \/ VmmConsumeWmb
           \/ VmmConsumeResponse \/ VmmSeeIdle \/ VmmPrepareSleep
           \/ VmmFinalCheck \/ VmmWake
IopmStep == IopmConsumeReadProd \/ IopmConsumeRmb \/ IopmConsumeReadSlot
            \/ IopmConsumeWmb \/ IopmConsume \/ IopmWriteResponseReadCons
            \/ IopmWriteResponse \/ IopmPublishWmb \/ IopmPublishResponses
            \/ IopmPublishNotify \/ IopmSendIpi \/ IopmSeeIdle
            \/ IopmPrepareSleep \/ IopmFinalCheck \/ IopmWake

Next == VmmStep \/ VmmSpuriousWake \/ IopmStep \/ IopmSpuriousWake
        \/ FlushVmm \/ FlushIopm \/ Finished

\* Each CPU is weakly fair, and so is each store buffer (a buffered store
\* becomes visible eventually); spurious wakes carry no fairness.
Fairness == /\ WF_vars(VmmStep) /\ WF_vars(IopmStep)
            /\ WF_vars(FlushVmm) /\ WF_vars(FlushIopm)

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Refinement: CoopRingTSO implements CoopRing.                            *)
(*                                                                         *)
(* Each CoopRing variable is mapped to what the CPU that acts on it sees:  *)
(*  - a slot, a consumer index, and the private state: their owner's view  *)
(*    (memory plus the owner's own buffered stores).  CoopRing's           *)
(*    VmmWriteRequest, VmmConsumeResponse, IopmConsume, IopmWriteResponse  *)
(*    are the owner's store step.  The peer reads memory, an older value   *)
(*    of a word that only ever moves forward, so every guard it passed     *)
(*    (not full, not empty) holds on the owner's view too, and the packet  *)
(*    it copied is the one the owner wrote (FIFO: the slot was visible     *)
(*    before the index that covers it; the owner rewrites the slot only    *)
(*    once the consumer's index has moved past it);                        *)
(*  - a producer index (req_prod, rsp_prod): memory.  CoopRing's publish   *)
(*    is the flush that makes the index visible (the producer is then      *)
(*    waiting at its ring_mb(), its private index unchanged), and a        *)
(*    consumer's "empty" is exactly the value it loaded;                   *)
(*  - an event index (req_event, rsp_event): memory, what the peer's       *)
(*    notify loads.  CoopRing's SeeIdle is the load that saw the ring      *)
(*    empty (VmmSeeIdle, IopmSeeIdle), and its PrepareSleep is the flush   *)
(*    that makes the new event index visible; the store step between them  *)
(*    is a stuttering step;                                                *)
(*  - the pc: every sub-step of a function is CoopRing's "run", except     *)
(*    "sleepSt", and "check" while its new event index is still in the     *)
(*    store buffer (CoopRing's "idle"); "check" once it is visible;        *)
(*    "sleep"; and "pubMb" once the producer index it stored is visible:   *)
(*    CoopRing's "notify", with reqNotifyFrom/rspNotifyFrom the register   *)
(*    vOld/iOld (the old index), 0 elsewhere as in CoopRing.  CoopRing's   *)
(*    VmmNotifyIopm and IopmNotifyVmm are the mb + load of the event index *)
(*    (VmmPublishNotify, IopmPublishNotify), and "ipi" is CoopRing's "ipi" *)
(*    (VmmSendIpi, IopmSendIpi);                                           *)
(*  - the IPI bits: the real ones.  With the full barriers present, a      *)
(*    notify sends its IPI on an empty buffer, so it is pending at once,   *)
(*    decided on the event index in memory: CoopRing's, by the mapping     *)
(*    above.                                                               *)
(* Refines is the whole of CoopRing's Spec, its fairness included: every   *)
(* behaviour of the ring on x86-TSO, seen through the mapping, is a        *)
(* behaviour of CoopRing.  That needs CoopRing to split the publish at its *)
(* full barrier (VmmPublishRequests, VmmNotifyIopm) and going to sleep     *)
(* between its load and its store (VmmSeeIdle, VmmPrepareSleep), as ring.c *)
(* does.  With either one atomic, the peer's notify can come between the   *)
(* two accesses, load the old event index and send no IPI where the atomic *)
(* step of CoopRing would have sent one (the sleeper's final check finds   *)
(* the work), so the real IPI bits cannot be mapped, and with history bits *)
(* instead CoopRing's VmmWake stays enabled forever on a lasso: only       *)
(* CoopRing's safety was implied.                                          *)
(***************************************************************************)

CR == INSTANCE CoopRing WITH
        PeerFaults <- FALSE,
        reqProd <- mem[ReqProd],
        rspCons <- VView(RspCons),
        rspEvent <- mem[RspEvent],
        rspProd <- mem[RspProd],
        reqCons <- IView(ReqCons),
        reqEvent <- mem[ReqEvent],
        reqRing <- [s \in 0 .. N - 1 |-> VView(ReqSlot(s))],
        rspRing <- [s \in 0 .. N - 1 |-> IView(RspSlot(s))],
        vmmPc <- CRVmmPc,
        reqNotifyFrom <- IF CRVmmPc = "notify" THEN vOld ELSE 0,
        iopmTrusted <- TRUE,
        iopmPc <- CRIopmPc,
        rspNotifyFrom <- IF CRIopmPc = "notify" THEN iOld ELSE 0,
        ipiVmm <- ipiVmm,
        ipiIopm <- ipiIopm

\* Every behaviour, seen through the mapping, is a behaviour of CoopRing,
\* fairness included (see "Refinement" above).
Refines == CR!Spec

-----------------------------------------------------------------------------
(* Safety *)

TypeOK ==
    /\ mem \in [Addrs -> Idx \cup Ids]
    /\ vBuf \in Seq((VmmAddrs \cup {IpiToIopm}) \X (Idx \cup Ids))
    /\ iBuf \in Seq((IopmAddrs \cup {IpiToVmm}) \X (Idx \cup Ids))
    /\ Len(vBuf) <= BufDepth + 1 /\ Len(iBuf) <= BufDepth + 1
    /\ reqPvt \in Idx /\ rspPvt \in Idx /\ nextId \in 1 .. MaxReq + 1
    /\ rspGot \in Seq(Ids) /\ reqGot \in Seq(Ids) /\ pending \in Seq(Ids)
    /\ vmmPc \in Pcs /\ iopmPc \in Pcs
    /\ vOld \in Idx /\ iOld \in Idx /\ vReg \in Ids /\ iReg \in Ids
    /\ ipiVmm \in BOOLEAN /\ ipiIopm \in BOOLEAN

\* Each CPU stores only into its own control area and its own data area
\* (the TSO form of CoopRing's OwnersWrite).
OwnersWrite ==
    /\ \A i \in 1 .. Len(vBuf) : vBuf[i][1] \in VmmAddrs \cup {IpiToIopm}
    /\ \A i \in 1 .. Len(iBuf) : iBuf[i][1] \in IopmAddrs \cup {IpiToVmm}

\* CoopRing's safety properties, on the mapped state.
NoOverflow == CR!NoOverflow
NoUnderflow == CR!NoUnderflow
RequestsInOrder == CR!RequestsInOrder
ResponsesInOrder == CR!ResponsesInOrder
ResponsesAnswerOutstanding == CR!ResponsesAnswerOutstanding

\* The IOPM has work: a request the VMM has published (in its own program
\* order, visible or still buffered) that the IOPM has not consumed.
IopmHasWork == VView(ReqProd) # IView(ReqCons)
VmmHasWork == IView(RspProd) # VView(RspCons)

\* An IPI is on its way to the IOPM: pending, sent (in the VMM's store
\* buffer), or the VMM has stored its new req_prod and has still to load
\* req_event, which already asks for it.
IpiComingToIopm ==
    \/ ipiIopm
    \/ \E i \in 1 .. Len(vBuf) : vBuf[i][1] = IpiToIopm
    \/ vmmPc = "pubMb" /\ NeedNotify(vOld, reqPvt, mem[ReqEvent])
    \/ vmmPc = "ipi"
IpiComingToVmm ==
    \/ ipiVmm
    \/ \E i \in 1 .. Len(iBuf) : iBuf[i][1] = IpiToVmm
    \/ iopmPc = "pubMb" /\ NeedNotify(iOld, rspPvt, mem[RspEvent])
    \/ iopmPc = "ipi"

\* No lost wakeup, as a state property: a side that sleeps with work
\* pending has an IPI on its way.
SleeperHasWakeup ==
    /\ (iopmPc = "sleep" /\ IopmHasWork) => IpiComingToIopm
    /\ (vmmPc = "sleep" /\ VmmHasWork) => IpiComingToVmm

-----------------------------------------------------------------------------
(* Liveness, under Fairness: CoopRing's three properties, on the real IPI  *)
(* bits.  Both sides of each "leads to" only ever go from FALSE to TRUE    *)
(* (nextId, Len(reqGot), Len(rspGot) never decrease), so P ~> Q is         *)
(* []<>(P => Q) and <>P is []<>P: the same properties as CoopRing's        *)
(* (CR!EveryRequestConsumed, ...), written in the form TLC checks without  *)
(* a tableau, which halves the run.                                        *)

\* Every issued request is eventually consumed by the IOPM...
EveryRequestConsumed ==
    \A i \in 1 .. MaxReq : []<>(nextId > i => Len(reqGot) >= i)
\* ...and its answer eventually consumed by the VMM.
EveryRequestAnswered ==
    \A i \in 1 .. MaxReq : []<>(nextId > i => Len(rspGot) >= i)
\* The run ends with every request answered.
AllDone == []<>(Len(rspGot) = MaxReq)
=============================================================================
