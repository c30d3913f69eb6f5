------------------------- MODULE BootReadyBeforeSetup -------------------------
(***************************************************************************)
(* Ready read before the IOPM finished its set-up: the boot loop takes the *)
(* AP's check-in (its real-mode code runs) for "the IOPM is ready" instead *)
(* of waiting for the ready flag and IPI, and the VMM queues ring traffic  *)
(* to an IOPM that has not set up its ring yet.                            *)
(* EXPECT: NoWorkBeforeReady                                               *)
(***************************************************************************)
EXTENDS BootHandoff

BuggyVmmSeeStarted ==
    /\ vmmPc = "wait"
    /\ Started(cur)
    /\ status' = IF status[cur] = "booting"             \* the bug
                 THEN [status EXCEPT ![cur] = "ready"] ELSE status
    /\ NextAp
    /\ UNCHANGED <<freeAt, copied, zone, tries, sipis, work, mem,
                   handoff, readyFlag, ipi, ap, lateBy, starts>>

BuggyVmmBoot == VmmAllocZone \/ VmmWriteHandoff \/ VmmCopyRealMode
                \/ VmmCopyProtMode \/ VmmSendInit \/ VmmSendSipi
                \/ BuggyVmmSeeStarted \/ VmmRetry \/ VmmGiveUp
BuggyVmmStep == BuggyVmmBoot \/ VmmServe
BuggyNext == BuggyVmmStep \/ (\E a \in APs : ApStep(a) \/ IopmStray(a)) \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(BuggyVmmStep)
             /\ \A a \in APs : WF_vars(ApStep(a))
=============================================================================
