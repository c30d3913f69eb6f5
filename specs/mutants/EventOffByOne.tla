---------------------------- MODULE EventOffByOne ----------------------------
(***************************************************************************)
(* Bug class 7, event-index arithmetic off by one: the IOPM notifies the   *)
(* VMM only if the VMM's event index lies in (old, new) instead of         *)
(* (old, new], so publishing exactly the response the VMM waits for sends  *)
(* no IPI and the VMM sleeps on it.  (The decision is IopmNotifyVmm's, the *)
(* step after the publish.)                                                *)
(* EXPECT: EveryRequestAnswered                                            *)
(***************************************************************************)
EXTENDS CoopRing

BuggyIopmNotifyVmm ==
    /\ iopmPc = "notify"
    /\ iopmPc' = IF Dist(rspEvent, rspProd) + 1 < Dist(rspNotifyFrom, rspProd)  \* the bug
                 THEN "ipi" ELSE "run"
    /\ rspNotifyFrom' = 0
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted,
                   rspPvt, reqGot, pending, ipiVmm, ipiIopm, reqNotifyFrom>>

BuggyIopmStep == IopmConsume \/ IopmWriteResponse \/ IopmPublishResponses
                 \/ BuggyIopmNotifyVmm \/ IopmSendIpi \/ IopmSeeIdle \/ IopmPrepareSleep
                 \/ IopmFinalCheck \/ IopmWake
BuggyNext == VmmStep \/ VmmSpuriousWake \/ BuggyIopmStep \/ IopmSpuriousWake
             \/ IopmPublishBogus \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(VmmStep) /\ WF_vars(BuggyIopmStep)
=============================================================================
