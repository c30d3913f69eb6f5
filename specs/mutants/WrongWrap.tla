----------------------------- MODULE WrongWrap -----------------------------
(***************************************************************************)
(* Bug class 2, index wrap mishandled: the VMM wraps its producer index at *)
(* the ring size N instead of letting it run free (modulo 2^32, IdxMod     *)
(* here), while the IOPM's consumer index runs free.  Full and empty       *)
(* become the same picture, so the VMM writes over requests that were not  *)
(* consumed, and the IOPM misses published ones.                           *)
(* EXPECT: NoOverflow                                                      *)
(***************************************************************************)
EXTENDS CoopRing

BuggyVmmWriteRequest ==
    /\ vmmPc = "run" /\ iopmTrusted
    /\ nextId <= MaxReq
    /\ Dist(reqCons, reqPvt) < N
    /\ reqRing' = [reqRing EXCEPT ![Slot(reqPvt)] = nextId]
    /\ reqPvt' = (reqPvt + 1) % N                      \* the bug: % N
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
