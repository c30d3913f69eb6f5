--------------------------- MODULE TrustPeerIndex ---------------------------
(***************************************************************************)
(* Bug class 8, trusting the peer's index: the VMM consumes responses up   *)
(* to whatever response index the IOPM published, with no check that it   *)
(* is at most N ahead.  A broken IOPM that publishes a bogus index makes   *)
(* the VMM consume stale slots as answers.  Checked with PeerFaults.       *)
(* EXPECT: NoOverflow                                                      *)
(***************************************************************************)
EXTENDS CoopRing

BuggyVmmConsumeResponse ==
    /\ vmmPc = "run" /\ iopmTrusted
    /\ rspCons # rspProd                               \* the bug: no bound
    /\ rspGot' = Append(rspGot, rspRing[Slot(rspCons)])
    /\ rspCons' = Inc(rspCons)
    /\ UNCHANGED <<reqProd, rspEvent, rspProd, reqCons, reqEvent, reqRing,
                   rspRing, reqPvt, nextId, vmmPc, iopmTrusted, rspPvt, reqGot,
                   pending, iopmPc, ipiVmm, ipiIopm, reqNotifyFrom,
                   rspNotifyFrom>>

BuggyVmmStep == VmmWriteRequest \/ VmmPublishRequests \/ VmmNotifyIopm
                \/ VmmSendIpi
                \/ BuggyVmmConsumeResponse \/ VmmSeeIdle \/ VmmPrepareSleep
                \/ VmmFinalCheck \/ VmmWake
BuggyNext == BuggyVmmStep \/ VmmSpuriousWake \/ IopmStep \/ IopmSpuriousWake
             \/ IopmPublishBogus \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(BuggyVmmStep) /\ WF_vars(IopmStep)
=============================================================================
