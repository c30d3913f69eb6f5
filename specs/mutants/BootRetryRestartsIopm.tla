------------------------- MODULE BootRetryRestartsIopm -------------------------
(***************************************************************************)
(* A retry restarts a running IOPM: the boot loop times out after a fixed  *)
(* delay without reading the AP's check-in, and retries.  The retry's INIT *)
(* resets the running AP and its SIPI starts a second IOPM instance over   *)
(* the first one's zone.                                                   *)
(* EXPECT: OneInstancePerAp                                                *)
(***************************************************************************)
EXTENDS BootHandoff

BuggyVmmRetry ==
    /\ vmmPc = "wait"
    /\ tries[cur] < MaxTries                            \* the bug: ~Started(cur)
    /\ vmmPc' = "init"                                  \* is not checked
    /\ UNCHANGED <<cur, freeAt, copied, zone, tries, sipis, status, work, mem,
                   handoff, readyFlag, ipi, ap, lateBy, starts>>

BuggyVmmBoot == VmmAllocZone \/ VmmWriteHandoff \/ VmmCopyRealMode
                \/ VmmCopyProtMode \/ VmmSendInit \/ VmmSendSipi
                \/ VmmSeeStarted \/ BuggyVmmRetry \/ VmmGiveUp
BuggyVmmStep == BuggyVmmBoot \/ VmmServe
BuggyNext == BuggyVmmStep \/ (\E a \in APs : ApStep(a) \/ IopmStray(a)) \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(BuggyVmmStep)
             /\ \A a \in APs : WF_vars(ApStep(a))
=============================================================================
