--------------------------- MODULE DoubleResponse ---------------------------
(***************************************************************************)
(* A response sent twice: the IOPM writes the response but forgets to      *)
(* retire the request (a retry path that does not check whether it already *)
(* answered), so the same request is answered again.                       *)
(* EXPECT: NoUnderflow                                                     *)
(***************************************************************************)
EXTENDS CoopRing

BuggyIopmWriteResponse ==
    /\ iopmPc = "run"
    /\ pending # <<>>
    /\ Dist(rspCons, rspPvt) < N
    /\ rspRing' = [rspRing EXCEPT ![Slot(rspPvt)] = Head(pending)]
    /\ rspPvt' = Inc(rspPvt)
    /\ pending' = IF rspRing[Slot(rspPvt)] = Head(pending)   \* the bug: retire
                  THEN Tail(pending) ELSE pending            \* only on a resend
    /\ UNCHANGED <<reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                   reqRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted, reqGot,
                   iopmPc, ipiVmm, ipiIopm, reqNotifyFrom, rspNotifyFrom>>

BuggyIopmStep == IopmConsume \/ BuggyIopmWriteResponse \/ IopmPublishResponses
                 \/ IopmNotifyVmm \/ IopmSendIpi \/ IopmSeeIdle \/ IopmPrepareSleep
                 \/ IopmFinalCheck \/ IopmWake
BuggyNext == VmmStep \/ VmmSpuriousWake \/ BuggyIopmStep \/ IopmSpuriousWake
             \/ IopmPublishBogus \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(VmmStep) /\ WF_vars(BuggyIopmStep)
=============================================================================
