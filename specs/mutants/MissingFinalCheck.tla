------------------------- MODULE MissingFinalCheck -------------------------
(***************************************************************************)
(* Bug class 5, lost wakeup: the IOPM reads the ring empty, and only then  *)
(* sets its event index and sleeps, with no re-check after it.  A request  *)
(* published between the read and the write of the event index sees the   *)
(* old event index, sends no IPI, and the IOPM sleeps on it forever while  *)
(* the VMM sleeps waiting for the answer.                                  *)
(* EXPECT: EveryRequestConsumed                                            *)
(***************************************************************************)
EXTENDS CoopRing

\* After IopmSeeIdle (the ring seen empty): goes to "check" without arming
\* the event index.
BuggyIopmPrepareSleep ==
    /\ iopmPc = "idle"
    /\ iopmPc' = "check"
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted,
                   rspPvt, reqGot, pending, ipiVmm, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

\* Arms the event index and sleeps, without reading the producer again.
BuggyIopmFinalCheck ==
    /\ iopmPc = "check"
    /\ reqEvent' = Inc(reqCons)
    /\ iopmPc' = "sleep"
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqRing,
                   rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted, rspPvt,
                   reqGot, pending, ipiVmm, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

BuggyIopmStep == IopmConsume \/ IopmWriteResponse \/ IopmPublishResponses
                 \/ IopmNotifyVmm \/ IopmSendIpi \/ IopmSeeIdle \/ BuggyIopmPrepareSleep
                 \/ BuggyIopmFinalCheck \/ IopmWake
BuggyNext == VmmStep \/ VmmSpuriousWake \/ BuggyIopmStep \/ IopmSpuriousWake
             \/ IopmPublishBogus \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(VmmStep) /\ WF_vars(BuggyIopmStep)
=============================================================================
