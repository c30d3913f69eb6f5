------------------------------ MODULE CoopRing ------------------------------
(***************************************************************************)
(* The shared-memory ring between the VMM (on the BSP) and one IOPM (on an *)
(* AP) of the cooperative-model VMM.                                       *)
(*                                                                         *)
(* The shared zone holds four areas (seed, part 3, "Shared memory"):       *)
(*   VMM-controlled area : reqProd, rspCons, rspEvent   (only VMM writes)  *)
(*   IOPM-controlled area: rspProd, reqCons, reqEvent   (only IOPM writes) *)
(*   VMM data area       : reqRing, N request slots, VMM -> IOPM           *)
(*   IOPM data area      : rspRing, N response slots, IOPM -> VMM          *)
(* Indexes run free modulo IdxMod (a multiple of N, at least 2N, standing  *)
(* for 2^32) and are masked to a slot on use.  A packet carries an id; a   *)
(* response carries the id of the request it answers.                      *)
(*                                                                         *)
(* Writing a packet and publishing the producer index are separate steps.  *)
(* So are publishing and deciding the IPI: ring.c stores the index, then a *)
(* full barrier, then loads the peer's event index, and the peer may act   *)
(* in between (a side in "notify" does nothing else until it has decided). *)
(* So are deciding and sending: the IPI leaves after the load, and the     *)
(* peer may be woken by an earlier IPI in between (a side in "ipi" does    *)
(* nothing else until it has sent).                                        *)
(* Notification is an IPI: a coalescing pending bit per side.  A side with *)
(* nothing to do (SeeIdle: it loads the peer's producer index) then sets   *)
(* its event index ("notify me past here": PrepareSleep, a separate store  *)
(* the peer may precede), re-checks (the final check) and only then        *)
(* sleeps.  Sleeping sides may also wake spuriously; the protocol must     *)
(* tolerate that and must never rely on it (spurious wakes carry no        *)
(* fairness).                                                              *)
(*                                                                         *)
(* With PeerFaults, the IOPM may publish a response index more than N      *)
(* ahead (a failed driver, a hostile peer): the VMM must bound it and      *)
(* declare the IOPM broken instead of consuming garbage.                   *)
(***************************************************************************)
EXTENDS Naturals, Sequences

CONSTANTS
    N,          \* slots in each ring
    IdxMod,     \* free-running indexes wrap here (stands for 2^32)
    MaxReq,     \* requests the VMM issues in one behaviour
    PeerFaults  \* may the IOPM publish a bogus response index?

ASSUME N \in Nat \ {0} /\ IdxMod \in Nat /\ IdxMod >= 2 * N /\ IdxMod % N = 0
ASSUME MaxReq \in Nat /\ PeerFaults \in BOOLEAN

VARIABLES
    \* VMM-controlled area
    reqProd, rspCons, rspEvent,
    \* IOPM-controlled area
    rspProd, reqCons, reqEvent,
    \* data areas
    reqRing, rspRing,
    \* VMM private state
    reqPvt,        \* requests written, published or not (private producer index)
    nextId,        \* id of the next request the VMM issues
    rspGot,        \* ids of the responses the VMM consumed, in order (history)
    vmmPc,         \* "run", "notify" (published, IPI decision pending),
                   \* "ipi" (decided to notify, IPI not yet sent),
                   \* "idle" (saw nothing to do, event index not yet set),
                   \* "check" (final check pending), "sleep"
    reqNotifyFrom, \* in "notify": reqProd before the publish (else 0)
    iopmTrusted,   \* FALSE once the VMM declared the IOPM broken
    \* IOPM private state
    rspPvt,        \* responses written, published or not
    reqGot,        \* ids of the requests the IOPM consumed, in order (history)
    pending,       \* consumed requests not yet answered, in order
    iopmPc,        \* "run", "notify", "ipi", "idle", "check", "sleep"
    rspNotifyFrom, \* in "notify": rspProd before the publish (else 0)
    \* notification: IPI pending bits
    ipiVmm, ipiIopm

vmmArea  == <<reqProd, rspCons, rspEvent>>
iopmArea == <<rspProd, reqCons, reqEvent>>
vars == <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent, reqRing,
          rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted, rspPvt,
          reqGot, pending, iopmPc, ipiVmm, ipiIopm, reqNotifyFrom,
          rspNotifyFrom>>

Idx == 0 .. IdxMod - 1
Ids == 0 .. MaxReq            \* 0 marks a slot never written
Inc(i) == (i + 1) % IdxMod
\* Packets between consumer index c and producer index p (modular).
Dist(c, p) == (p + IdxMod - c) % IdxMod
Slot(i) == i % N
\* Notify iff the consumer's event index lies in (old, new], modularly.
NeedNotify(old, new, event) == Dist(event, new) < Dist(old, new)
Range(s) == {s[i] : i \in 1 .. Len(s)}
Prefix(s, k) == [i \in 1 .. k |-> s[i]]
\* The ids 1..k in order: what the VMM has issued when nextId = k + 1.
Issued(k) == [i \in 1 .. k |-> i]

-----------------------------------------------------------------------------
Init ==
    /\ reqProd = 0 /\ rspCons = 0 /\ rspEvent = 1
    /\ rspProd = 0 /\ reqCons = 0 /\ reqEvent = 1
    /\ reqRing = [s \in 0 .. N - 1 |-> 0]
    /\ rspRing = [s \in 0 .. N - 1 |-> 0]
    /\ reqPvt = 0 /\ nextId = 1 /\ rspGot = <<>>
    /\ vmmPc = "run" /\ iopmTrusted = TRUE
    /\ rspPvt = 0 /\ reqGot = <<>> /\ pending = <<>> /\ iopmPc = "run"
    /\ ipiVmm = FALSE /\ ipiIopm = FALSE
    /\ reqNotifyFrom = 0 /\ rspNotifyFrom = 0

-----------------------------------------------------------------------------
(* VMM actions *)

\* The VMM writes the next request into the free slot at its private index.
\* The ring is full when N requests are written and not yet consumed.
VmmWriteRequest ==
    /\ vmmPc = "run" /\ iopmTrusted
    /\ nextId <= MaxReq
    /\ Dist(reqCons, reqPvt) < N
    /\ reqRing' = [reqRing EXCEPT ![Slot(reqPvt)] = nextId]
    /\ reqPvt' = Inc(reqPvt)
    /\ nextId' = nextId + 1
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   rspRing, rspGot, vmmPc, iopmTrusted, rspPvt, reqGot, pending,
                   iopmPc, ipiVmm, ipiIopm, reqNotifyFrom, rspNotifyFrom>>

\* The VMM publishes what it wrote (after a write barrier), keeping the old
\* producer index for the notify decision that follows.
VmmPublishRequests ==
    /\ vmmPc = "run" /\ iopmTrusted
    /\ reqProd # reqPvt
    /\ reqProd' = reqPvt
    /\ reqNotifyFrom' = reqProd
    /\ vmmPc' = "notify"
    /\ UNCHANGED <<rspCons, rspEvent, rspProd, reqCons, reqEvent, reqRing,
                   rspRing, reqPvt, nextId, rspGot, iopmTrusted, rspPvt,
                   reqGot, pending, iopmPc, ipiVmm, ipiIopm, rspNotifyFrom>>

\* After a full barrier, the VMM reads the IOPM's event index and decides to
\* send the IPI iff it lies in (old, new] of the publish.  A separate step:
\* the IOPM may act between the store of the index and this load.
VmmNotifyIopm ==
    /\ vmmPc = "notify"
    /\ vmmPc' = IF NeedNotify(reqNotifyFrom, reqProd, reqEvent)
                THEN "ipi" ELSE "run"
    /\ reqNotifyFrom' = 0
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, iopmTrusted,
                   rspPvt, reqGot, pending, iopmPc, ipiVmm, ipiIopm,
                   rspNotifyFrom>>

\* The VMM sends the IPI it decided on.  A separate step: the IOPM may take
\* an earlier IPI, and run, between the decision and the send.
VmmSendIpi ==
    /\ vmmPc = "ipi"
    /\ ipiIopm' = TRUE
    /\ vmmPc' = "run"
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, iopmTrusted,
                   rspPvt, reqGot, pending, iopmPc, ipiVmm, reqNotifyFrom,
                   rspNotifyFrom>>

\* The VMM consumes one published response, after checking that the IOPM's
\* index is no more than N ahead.
VmmConsumeResponse ==
    /\ vmmPc = "run" /\ iopmTrusted
    /\ rspCons # rspProd
    /\ Dist(rspCons, rspProd) <= N
    /\ rspGot' = Append(rspGot, rspRing[Slot(rspCons)])
    /\ rspCons' = Inc(rspCons)
    /\ UNCHANGED <<reqProd, rspEvent, rspProd, reqCons, reqEvent, reqRing,
                   rspRing, reqPvt, nextId, vmmPc, iopmTrusted, rspPvt, reqGot,
                   pending, iopmPc, ipiVmm, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

\* The IOPM's response index is more than N ahead: the IOPM is broken. The
\* VMM stops using this ring (failover is the routing protocol's job).
VmmDeclareIopmBroken ==
    /\ vmmPc = "run" /\ iopmTrusted
    /\ Dist(rspCons, rspProd) > N
    /\ iopmTrusted' = FALSE
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, vmmPc, rspPvt,
                   reqGot, pending, iopmPc, ipiVmm, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

\* No response to consume, everything written is published, and a request
\* is outstanding: the VMM is going to sleep (it loaded the IOPM's response
\* index and saw nothing new).  The event index is set by the next step.
VmmSeeIdle ==
    /\ vmmPc = "run" /\ iopmTrusted
    /\ rspProd = rspCons
    /\ reqProd = reqPvt
    /\ Len(rspGot) < nextId - 1
    /\ vmmPc' = "idle"
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, iopmTrusted,
                   rspPvt, reqGot, pending, iopmPc, ipiVmm, ipiIopm,
                   reqNotifyFrom, rspNotifyFrom>>

\* The VMM asks to be notified at the next response.  A separate step: the
\* IOPM may publish (and decide its IPI on the old event index) between the
\* load of VmmSeeIdle and this store; the final check catches that.
VmmPrepareSleep ==
    /\ vmmPc = "idle"
    /\ rspEvent' = Inc(rspCons)
    /\ vmmPc' = "check"
    /\ UNCHANGED <<reqProd, rspCons, rspProd, reqCons, reqEvent, reqRing,
                   rspRing, reqPvt, nextId, rspGot, iopmTrusted, rspPvt, reqGot,
                   pending, iopmPc, ipiVmm, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

\* Final check, after a full barrier: sleep only if still nothing to consume.
VmmFinalCheck ==
    /\ vmmPc = "check"
    /\ vmmPc' = IF rspProd = rspCons THEN "sleep" ELSE "run"
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, iopmTrusted,
                   rspPvt, reqGot, pending, iopmPc, ipiVmm, ipiIopm,
                   reqNotifyFrom, rspNotifyFrom>>

\* The IPI handler on the BSP: takes the pending IPI, wakes a sleeping VMM
\* (a VMM that is running, notifying, sending, idle or checking stays where
\* it is).
VmmWake ==
    /\ ipiVmm
    /\ ipiVmm' = FALSE
    /\ vmmPc' = IF vmmPc = "sleep" THEN "run" ELSE vmmPc
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, iopmTrusted,
                   rspPvt, reqGot, pending, iopmPc, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

\* A wake with no IPI (another interrupt, another ring's work): allowed,
\* never relied on.
VmmSpuriousWake ==
    /\ vmmPc = "sleep"
    /\ vmmPc' = "run"
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, iopmTrusted,
                   rspPvt, reqGot, pending, iopmPc, ipiVmm, ipiIopm,
                   reqNotifyFrom, rspNotifyFrom>>

-----------------------------------------------------------------------------
(* IOPM actions *)

\* The IOPM consumes one published request. (The IOPM trusts the VMM: the
\* VMM is the privileged side; the bound check matters on the VMM side.)
IopmConsume ==
    /\ iopmPc = "run"
    /\ reqCons # reqProd
    /\ reqGot' = Append(reqGot, reqRing[Slot(reqCons)])
    /\ pending' = Append(pending, reqRing[Slot(reqCons)])
    /\ reqCons' = Inc(reqCons)
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqEvent, reqRing,
                   rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted, rspPvt,
                   iopmPc, ipiVmm, ipiIopm, reqNotifyFrom, rspNotifyFrom>>

\* The IOPM has served the oldest consumed request and writes its response
\* into the free response slot at its private index.
IopmWriteResponse ==
    /\ iopmPc = "run"
    /\ pending # <<>>
    /\ Dist(rspCons, rspPvt) < N
    /\ rspRing' = [rspRing EXCEPT ![Slot(rspPvt)] = Head(pending)]
    /\ rspPvt' = Inc(rspPvt)
    /\ pending' = Tail(pending)
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted, reqGot,
                   iopmPc, ipiVmm, ipiIopm, reqNotifyFrom, rspNotifyFrom>>

\* The IOPM publishes its responses, keeping the old producer index.
IopmPublishResponses ==
    /\ iopmPc = "run"
    /\ rspProd # rspPvt
    /\ rspProd' = rspPvt
    /\ rspNotifyFrom' = rspProd
    /\ iopmPc' = "notify"
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, reqCons, reqEvent, reqRing,
                   rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted,
                   rspPvt, reqGot, pending, ipiVmm, ipiIopm, reqNotifyFrom>>

\* After a full barrier, the IOPM reads the VMM's event index and decides to
\* notify the VMM iff it was passed (a separate step, as on the VMM side).
IopmNotifyVmm ==
    /\ iopmPc = "notify"
    /\ iopmPc' = IF NeedNotify(rspNotifyFrom, rspProd, rspEvent)
                 THEN "ipi" ELSE "run"
    /\ rspNotifyFrom' = 0
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted,
                   rspPvt, reqGot, pending, ipiVmm, ipiIopm, reqNotifyFrom>>

\* The IOPM sends the IPI it decided on (a separate step, as on the VMM side).
IopmSendIpi ==
    /\ iopmPc = "ipi"
    /\ ipiVmm' = TRUE
    /\ iopmPc' = "run"
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted,
                   rspPvt, reqGot, pending, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

\* Fault: a broken or hostile IOPM publishes response index p, more than N
\* ahead of the VMM's consumer index.
IopmPublishBogusTo(p) ==
    /\ PeerFaults
    /\ Dist(rspCons, p) > N
    /\ rspProd' = p
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, reqCons, reqEvent, reqRing,
                   rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted, rspPvt,
                   reqGot, pending, iopmPc, ipiVmm, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

IopmPublishBogus == \E p \in Idx : IopmPublishBogusTo(p)

\* No request to consume, nothing left to answer or publish: the IOPM is
\* going to sleep (it loaded the VMM's request index and saw nothing new).
IopmSeeIdle ==
    /\ iopmPc = "run"
    /\ reqProd = reqCons
    /\ pending = <<>>
    /\ rspProd = rspPvt
    /\ iopmPc' = "idle"
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted,
                   rspPvt, reqGot, pending, ipiVmm, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

\* The IOPM asks to be notified at the next request (a separate step, as on
\* the VMM side: a request published in between sees the old event index
\* and is caught by the final check, which reads the producer index again).
IopmPrepareSleep ==
    /\ iopmPc = "idle"
    /\ reqEvent' = Inc(reqCons)
    /\ iopmPc' = "check"
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqRing,
                   rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted, rspPvt,
                   reqGot, pending, ipiVmm, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

\* Final check, after a full barrier: sleep only if still no request.
IopmFinalCheck ==
    /\ iopmPc = "check"
    /\ iopmPc' = IF reqProd = reqCons THEN "sleep" ELSE "run"
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted,
                   rspPvt, reqGot, pending, ipiVmm, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

\* The IPI handler on the AP.
IopmWake ==
    /\ ipiIopm
    /\ ipiIopm' = FALSE
    /\ iopmPc' = IF iopmPc = "sleep" THEN "run" ELSE iopmPc
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted,
                   rspPvt, reqGot, pending, ipiVmm, reqNotifyFrom,
                   rspNotifyFrom>>

IopmSpuriousWake ==
    /\ iopmPc = "sleep"
    /\ iopmPc' = "run"
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted,
                   rspPvt, reqGot, pending, ipiVmm, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

-----------------------------------------------------------------------------
\* All requests answered and their answers consumed (or the IOPM was given
\* up): the behaviour may stutter here without it being a deadlock.
Done ==
    \/ Len(rspGot) = MaxReq /\ nextId > MaxReq
    \/ ~iopmTrusted

Finished == Done /\ UNCHANGED vars

VmmStep == VmmWriteRequest \/ VmmPublishRequests \/ VmmNotifyIopm
           \/ VmmSendIpi \/ VmmConsumeResponse
           \/ VmmDeclareIopmBroken \/ VmmSeeIdle \/ VmmPrepareSleep
           \/ VmmFinalCheck \/ VmmWake
IopmStep == IopmConsume \/ IopmWriteResponse \/ IopmPublishResponses
            \/ IopmNotifyVmm \/ IopmSendIpi \/ IopmSeeIdle \/ IopmPrepareSleep
            \/ IopmFinalCheck \/ IopmWake

Next ==
    \/ VmmStep \/ VmmSpuriousWake
    \/ IopmStep \/ IopmSpuriousWake \/ IopmPublishBogus
    \/ Finished

\* Each side is weakly fair as a whole; spurious wakes and faults are not.
Fairness == WF_vars(VmmStep) /\ WF_vars(IopmStep)

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Safety *)

TypeOK ==
    /\ reqProd \in Idx /\ rspCons \in Idx /\ rspEvent \in Idx
    /\ rspProd \in Idx /\ reqCons \in Idx /\ reqEvent \in Idx
    /\ reqRing \in [0 .. N - 1 -> Ids] /\ rspRing \in [0 .. N - 1 -> Ids]
    /\ reqPvt \in Idx /\ rspPvt \in Idx
    /\ nextId \in 1 .. MaxReq + 1
    /\ rspGot \in Seq(Ids) /\ reqGot \in Seq(Ids) /\ pending \in Seq(Ids)
    /\ vmmPc \in {"run", "notify", "ipi", "idle", "check", "sleep"}
    /\ iopmPc \in {"run", "notify", "ipi", "idle", "check", "sleep"}
    /\ reqNotifyFrom \in Idx /\ rspNotifyFrom \in Idx
    /\ iopmTrusted \in BOOLEAN /\ ipiVmm \in BOOLEAN /\ ipiIopm \in BOOLEAN

\* Requests answered so far, in the order the IOPM wrote them.
Answered == Prefix(reqGot, Len(reqGot) - Len(pending))

\* Never more than N packets written and not consumed, in either ring.
NoOverflow ==
    /\ Dist(reqCons, reqPvt) <= N
    /\ Dist(rspCons, rspPvt) <= N

\* No consumer passes its producer: nothing consumed that was not written.
NoUnderflow ==
    /\ Len(reqGot) <= nextId - 1
    /\ Len(rspGot) <= Len(reqGot) - Len(pending)

\* Exactly once, in order: the consumed ids are a prefix of the produced ids.
RequestsInOrder ==
    Len(reqGot) <= nextId - 1 /\ reqGot = Prefix(Issued(nextId - 1), Len(reqGot))
ResponsesInOrder ==
    Len(rspGot) <= Len(Answered) /\ rspGot = Prefix(Answered, Len(rspGot))

\* Every response the VMM consumed answers a request that was outstanding:
\* issued, consumed by the IOPM, and not answered before.
ResponsesAnswerOutstanding ==
    \A i \in 1 .. Len(rspGot) :
        /\ rspGot[i] \in 1 .. nextId - 1
        /\ rspGot[i] \in Range(reqGot)
        /\ \A j \in 1 .. i - 1 : rspGot[j] # rspGot[i]

\* Each control area is written only by its owner's actions (an action
\* property: checked on every step).
VmmActs == VmmStep \/ VmmSpuriousWake
IopmActs == IopmStep \/ IopmSpuriousWake \/ IopmPublishBogus
OwnersWrite ==
    [][ /\ VmmActs => UNCHANGED iopmArea
        /\ IopmActs => UNCHANGED vmmArea
      ]_vars

-----------------------------------------------------------------------------
(* Liveness, under Fairness: no lost wakeup, no deadlock *)

\* Every issued request is eventually consumed by the IOPM...
EveryRequestConsumed ==
    \A i \in 1 .. MaxReq : (nextId > i) ~> (Len(reqGot) >= i)
\* ...and its answer eventually consumed by the VMM.
EveryRequestAnswered ==
    \A i \in 1 .. MaxReq : (nextId > i) ~> (Len(rspGot) >= i)
\* The run ends with every request answered.
AllDone == <>(Len(rspGot) = MaxReq)
=============================================================================
