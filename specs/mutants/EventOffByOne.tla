---------------------------- MODULE EventOffByOne ----------------------------
(***************************************************************************)
(* Bug class 7, event-index arithmetic off by one: the IOPM notifies the   *)
(* VMM only if the VMM's event index lies in (old, new) instead of         *)
(* (old, new], so publishing exactly the response the VMM waits for sends  *)
(* no IPI and the VMM sleeps on it.                                        *)
(* EXPECT: EveryRequestAnswered                                            *)
(***************************************************************************)
EXTENDS CoopRing

BuggyIopmPublishResponses ==
    /\ iopmPc = "run"
    /\ rspProd # rspPvt
    /\ rspProd' = rspPvt
    /\ ipiVmm' = (ipiVmm \/ Dist(rspEvent, rspPvt) + 1 < Dist(rspProd, rspPvt))  \* the bug
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, reqCons, reqEvent, reqRing,
                   rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted,
                   rspPvt, reqGot, pending, iopmPc, ipiIopm>>

BuggyIopmStep == IopmConsume \/ IopmWriteResponse \/ BuggyIopmPublishResponses
                 \/ IopmPrepareSleep \/ IopmFinalCheck \/ IopmWake
BuggyNext == VmmStep \/ VmmSpuriousWake \/ BuggyIopmStep \/ IopmSpuriousWake
             \/ IopmPublishBogus \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(VmmStep) /\ WF_vars(BuggyIopmStep)
=============================================================================
