---------------------------- MODULE OffByOneFull ----------------------------
(***************************************************************************)
(* Bug class 1, off-by-one in the full check: the VMM takes the ring to be *)
(* full only past N unconsumed requests (<= instead of <), so it writes an *)
(* (N+1)th request over the oldest one the IOPM has not consumed yet.      *)
(* EXPECT: NoOverflow                                                      *)
(***************************************************************************)
EXTENDS CoopRing

BuggyVmmWriteRequest ==
    /\ vmmPc = "run" /\ iopmTrusted
    /\ nextId <= MaxReq
    /\ Dist(reqCons, reqPvt) <= N                      \* the bug: <= N
    /\ reqRing' = [reqRing EXCEPT ![Slot(reqPvt)] = nextId]
    /\ reqPvt' = Inc(reqPvt)
    /\ nextId' = nextId + 1
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   rspRing, rspGot, vmmPc, iopmTrusted, rspPvt, reqGot, pending,
                   iopmPc, ipiVmm, ipiIopm, reqNotifyFrom, rspNotifyFrom>>

BuggyVmmStep == BuggyVmmWriteRequest \/ VmmPublishRequests \/ VmmNotifyIopm
                \/ VmmSendIpi
                \/ VmmConsumeResponse \/ VmmDeclareIopmBroken \/ VmmSeeIdle
                \/ VmmPrepareSleep \/ VmmFinalCheck \/ VmmWake
BuggyNext == BuggyVmmStep \/ VmmSpuriousWake \/ IopmStep \/ IopmSpuriousWake
             \/ IopmPublishBogus \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(BuggyVmmStep) /\ WF_vars(IopmStep)
=============================================================================
