------------------------ MODULE BootSingleSipiNoRetry ------------------------
(***************************************************************************)
(* One SIPI and no retry: the VMM sends INIT and a single SIPI (enough on  *)
(* the fast APs it was tested on) and gives an AP up at the first timeout. *)
(* A slow AP, still in its INIT when that SIPI arrives, loses it and is    *)
(* declared failed although it is healthy.                                 *)
(* EXPECT: HealthyApsReady                                                 *)
(***************************************************************************)
EXTENDS BootHandoff

\* One SIPI, then wait.
BuggyVmmSendSipi ==
    /\ vmmPc = "sipi1"
    /\ sipis' = [sipis EXCEPT ![cur] = @ + 1]
    /\ IF ap[cur] = "wait-sipi" /\ lateBy[cur] > 0
       THEN /\ lateBy' = [lateBy EXCEPT ![cur] = @ - 1]
            /\ UNCHANGED <<ap, starts>>
       ELSE IF ap[cur] = "wait-sipi"
       THEN /\ ap' = [ap EXCEPT ![cur] = "real"]
            /\ starts' = [starts EXCEPT ![cur] = @ + 1]
            /\ UNCHANGED lateBy
       ELSE UNCHANGED <<ap, lateBy, starts>>
    /\ vmmPc' = "wait"                                  \* the bug: a second SIPI
    /\ UNCHANGED <<cur, freeAt, copied, zone, tries, status, work, mem,
                   handoff, readyFlag, ipi>>

\* The first timeout is final.
BuggyVmmGiveUp ==
    /\ vmmPc = "wait"
    /\ ~Started(cur)                                    \* the bug: no retry
    /\ status' = [status EXCEPT ![cur] = "failed"]
    /\ NextAp
    /\ UNCHANGED <<freeAt, copied, zone, tries, sipis, work, mem, handoff,
                   readyFlag, ipi, ap, lateBy, starts>>

BuggyVmmBoot == VmmAllocZone \/ VmmWriteHandoff \/ VmmCopyRealMode
                \/ VmmCopyProtMode \/ VmmSendInit \/ BuggyVmmSendSipi
                \/ VmmSeeStarted \/ BuggyVmmGiveUp
BuggyVmmStep == BuggyVmmBoot \/ VmmServe
BuggyNext == BuggyVmmStep \/ (\E a \in APs : ApStep(a) \/ IopmStray(a)) \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(BuggyVmmStep)
             /\ \A a \in APs : WF_vars(ApStep(a))
=============================================================================
