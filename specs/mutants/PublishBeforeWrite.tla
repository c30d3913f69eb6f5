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

\* Publish the index of a slot that is not written yet, and notify.
BuggyVmmPublishEarly ==
    /\ vmmPc = "run" /\ iopmTrusted /\ ~unfilled
    /\ nextId <= MaxReq
    /\ reqProd = reqPvt
    /\ Dist(reqCons, reqPvt) < N
    /\ reqPvt' = Inc(reqPvt)
    /\ reqProd' = Inc(reqPvt)
    /\ ipiIopm' = (ipiIopm \/ NeedNotify(reqProd, Inc(reqPvt), reqEvent))
    /\ unfilled' = TRUE
    /\ UNCHANGED <<rspCons, rspEvent, rspProd, reqCons, reqEvent, reqRing,
                   rspRing, nextId, rspGot, vmmPc, iopmTrusted, rspPvt,
                   reqGot, pending, iopmPc, ipiVmm>>

\* Then write the packet into the slot already published.
BuggyVmmFillSlot ==
    /\ unfilled
    /\ reqRing' = [reqRing EXCEPT ![Slot((reqPvt + IdxMod - 1) % IdxMod)] = nextId]
    /\ nextId' = nextId + 1
    /\ unfilled' = FALSE
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   rspRing, reqPvt, rspGot, vmmPc, iopmTrusted, rspPvt, reqGot,
                   pending, iopmPc, ipiVmm, ipiIopm>>

Same(A) == A /\ UNCHANGED unfilled
BuggyVmmStep == BuggyVmmPublishEarly \/ BuggyVmmFillSlot
                \/ Same(VmmConsumeResponse) \/ Same(VmmDeclareIopmBroken)
                \/ Same(VmmPrepareSleep /\ ~unfilled) \/ Same(VmmFinalCheck)
                \/ Same(VmmWake)
BuggyIopmStep == Same(IopmStep)
BuggyInit == Init /\ unfilled = FALSE
BuggyNext == BuggyVmmStep \/ Same(VmmSpuriousWake) \/ BuggyIopmStep
             \/ Same(IopmSpuriousWake) \/ Same(IopmPublishBogus)
             \/ (Done /\ UNCHANGED <<vars, unfilled>>)
BuggySpec == BuggyInit /\ [][BuggyNext]_<<vars, unfilled>>
             /\ WF_<<vars, unfilled>>(BuggyVmmStep) /\ WF_<<vars, unfilled>>(BuggyIopmStep)
=============================================================================
