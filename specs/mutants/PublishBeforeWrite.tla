------------------------- MODULE PublishBeforeWrite -------------------------
(***************************************************************************)
(* Bug class 3, pointer published before the packet is written: the VMM    *)
(* bumps and publishes the producer index, then fills the slot (the stores *)
(* reordered, as with a missing write barrier or "prod++; ring[i] = pkt"). *)
(* The IOPM can consume the slot in between and read a stale packet.       *)
(* EXPECT: NoUnderflow                                                     *)
(***************************************************************************)
EXTENDS CoopRing

VARIABLE unfilled   \* TRUE between the early publish and the slot write

\* Publish the index of a slot that is not written yet (the notify decision
\* follows, VmmNotifyIopm).
BuggyVmmPublishEarly ==
    /\ vmmPc = "run" /\ iopmTrusted /\ ~unfilled
    /\ nextId <= MaxReq
    /\ reqProd = reqPvt
    /\ Dist(reqCons, reqPvt) < N
    /\ reqPvt' = Inc(reqPvt)
    /\ reqProd' = Inc(reqPvt)
    /\ reqNotifyFrom' = reqProd
    /\ vmmPc' = "notify"
    /\ unfilled' = TRUE
    /\ UNCHANGED <<rspCons, rspEvent, rspProd, reqCons, reqEvent, reqRing,
                   rspRing, nextId, rspGot, iopmTrusted, rspPvt, reqGot,
                   pending, iopmPc, ipiVmm, ipiIopm, rspNotifyFrom>>

\* Then write the packet into the slot already published.
BuggyVmmFillSlot ==
    /\ unfilled
    /\ reqRing' = [reqRing EXCEPT ![Slot((reqPvt + IdxMod - 1) % IdxMod)] = nextId]
    /\ nextId' = nextId + 1
    /\ unfilled' = FALSE
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   rspRing, reqPvt, rspGot, vmmPc, iopmTrusted, rspPvt, reqGot,
                   pending, iopmPc, ipiVmm, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

Same(A) == A /\ UNCHANGED unfilled
BuggyVmmStep == BuggyVmmPublishEarly \/ BuggyVmmFillSlot \/ Same(VmmNotifyIopm)
                \/ Same(VmmSendIpi)
                \/ Same(VmmConsumeResponse) \/ Same(VmmDeclareIopmBroken)
                \/ Same(VmmSeeIdle /\ ~unfilled) \/ Same(VmmPrepareSleep)
                \/ Same(VmmFinalCheck)
                \/ Same(VmmWake)
BuggyIopmStep == Same(IopmStep)
BuggyInit == Init /\ unfilled = FALSE
BuggyNext == BuggyVmmStep \/ Same(VmmSpuriousWake) \/ BuggyIopmStep
             \/ Same(IopmSpuriousWake) \/ Same(IopmPublishBogus)
             \/ (Done /\ UNCHANGED <<vars, unfilled, reqNotifyFrom,
                                     rspNotifyFrom>>)
BuggySpec == BuggyInit /\ [][BuggyNext]_<<vars, unfilled>>
             /\ WF_<<vars, unfilled>>(BuggyVmmStep) /\ WF_<<vars, unfilled>>(BuggyIopmStep)
=============================================================================
