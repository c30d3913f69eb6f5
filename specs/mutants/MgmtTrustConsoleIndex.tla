------------------------ MODULE MgmtTrustConsoleIndex ------------------------
(***************************************************************************)
(* Trusting the peer's index, on the management ring: the VMM takes        *)
(* commands up to whatever command index the console published, with no    *)
(* check that it is at most N ahead.  A hostile console that publishes a   *)
(* bogus index makes the VMM take stale slots as commands.  Checked with   *)
(* PeerFaults (the C twin: mutant mgmt-trust-peer-index, found by fuzz).   *)
(* EXPECT: NoOverflow                                                      *)
(***************************************************************************)
EXTENDS MgmtRing

BuggyVmmTakeCommand ==
    /\ vmmPc = "run" /\ consoleTrusted
    /\ cmdCons # cmdProd                               \* the bug: no bound
    /\ cmdGot' = Append(cmdGot, cmdRing[Slot(cmdCons)])
    /\ pending' = Append(pending, cmdRing[Slot(cmdCons)])
    /\ cmdCons' = Inc(cmdCons)
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdEvent, cmdRing,
                   ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted, ansPvt,
                   vmmPc, ipiConsole, ipiVmm, cmdNotifyFrom, ansNotifyFrom>>

BuggyVmmStep == BuggyVmmTakeCommand \/ VmmWriteAnswer \/ VmmPublishAnswers
                \/ VmmNotifyIopm \/ VmmSendIpi \/ VmmSeeIdle \/ VmmPrepareSleep
                \/ VmmFinalCheck \/ VmmWake
BuggyNext == ConsoleStep \/ IopmSpuriousWake \/ IopmPublishBogus
             \/ BuggyVmmStep \/ VmmSpuriousWake \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(ConsoleStep) /\ WF_vars(BuggyVmmStep)
=============================================================================
