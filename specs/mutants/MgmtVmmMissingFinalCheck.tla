---------------------- MODULE MgmtVmmMissingFinalCheck ----------------------
(***************************************************************************)
(* A lost wakeup on the management ring: the VMM, seeing no command, arms  *)
(* its event index and sleeps with no re-check after it.  A command the    *)
(* console published between the VMM's look and the store of its event    *)
(* index sees the old event index, sends no IPI, and the VMM sleeps on it  *)
(* while the console waits for its answer.                                 *)
(* EXPECT: EveryCommandTaken                                               *)
(***************************************************************************)
EXTENDS MgmtRing

\* After VmmSeeIdle (no command seen): goes to "check" without arming.
BuggyVmmPrepareSleep ==
    /\ vmmPc = "idle"
    /\ vmmPc' = "check"
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted,
                   ansPvt, cmdGot, pending, ipiConsole, ipiVmm, cmdNotifyFrom,
                   ansNotifyFrom>>

\* Arms the event index and sleeps, without reading the command index again.
BuggyVmmFinalCheck ==
    /\ vmmPc = "check"
    /\ cmdEvent' = Inc(cmdCons)
    /\ vmmPc' = "sleep"
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdRing,
                   ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted, ansPvt,
                   cmdGot, pending, ipiConsole, ipiVmm, cmdNotifyFrom,
                   ansNotifyFrom>>

BuggyVmmStep == VmmTakeCommand \/ VmmDeclareConsoleBroken \/ VmmWriteAnswer
                \/ VmmPublishAnswers \/ VmmNotifyIopm \/ VmmSendIpi \/ VmmSeeIdle
                \/ BuggyVmmPrepareSleep \/ BuggyVmmFinalCheck \/ VmmWake
BuggyNext == ConsoleStep \/ IopmSpuriousWake \/ IopmPublishBogus
             \/ BuggyVmmStep \/ VmmSpuriousWake \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(ConsoleStep) /\ WF_vars(BuggyVmmStep)
=============================================================================
