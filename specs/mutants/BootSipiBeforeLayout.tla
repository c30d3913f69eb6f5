------------------------- MODULE BootSipiBeforeLayout -------------------------
(***************************************************************************)
(* SIPI before the layout is complete: to overlap the copy with the AP's  *)
(* INIT delay, the VMM sends INIT-SIPI-SIPI right after laying the         *)
(* real-mode code and copies the protected-mode code while the AP runs its *)
(* real-mode code.  A fast AP jumps into a half-copied IOPM.               *)
(* EXPECT: LaidBeforeStart                                                 *)
(***************************************************************************)
EXTENDS BootHandoff

\* Lays the real-mode code, then goes straight to INIT.
BuggyVmmCopyRealMode ==
    /\ vmmPc = "rm"
    /\ mem' = [mem EXCEPT ![RmAt(cur)] = Rm(cur)]
    /\ vmmPc' = "init"                                  \* the bug: "pm" first
    /\ UNCHANGED <<cur, freeAt, copied, zone, tries, sipis, status, work,
                   handoff, readyFlag, ipi, ap, lateBy, starts>>

\* After the second SIPI, copies the protected-mode code...
BuggyVmmSendSipi ==
    /\ vmmPc \in {"sipi1", "sipi2"}
    /\ sipis' = [sipis EXCEPT ![cur] = @ + 1]
    /\ IF ap[cur] = "wait-sipi" /\ lateBy[cur] > 0
       THEN /\ lateBy' = [lateBy EXCEPT ![cur] = @ - 1]
            /\ UNCHANGED <<ap, starts>>
       ELSE IF ap[cur] = "wait-sipi"
       THEN /\ ap' = [ap EXCEPT ![cur] = "real"]
            /\ starts' = [starts EXCEPT ![cur] = @ + 1]
            /\ UNCHANGED lateBy
       ELSE UNCHANGED <<ap, lateBy, starts>>
    /\ vmmPc' = IF vmmPc = "sipi1" THEN "sipi2" ELSE "pm"
    /\ UNCHANGED <<cur, freeAt, copied, zone, tries, status, work, mem,
                   handoff, readyFlag, ipi>>

\* ...and then waits for the AP.
BuggyVmmCopyProtMode ==
    /\ vmmPc = "pm"
    /\ mem' = [mem EXCEPT ![zone[cur].lo + copied] = Pm(cur)]
    /\ copied' = IF copied + 1 = PmSize THEN 0 ELSE copied + 1
    /\ vmmPc' = IF copied + 1 = PmSize THEN "wait" ELSE "pm"
    /\ UNCHANGED <<cur, freeAt, zone, tries, sipis, status, work, handoff,
                   readyFlag, ipi, ap, lateBy, starts>>

BuggyVmmBoot == VmmAllocZone \/ VmmWriteHandoff \/ BuggyVmmCopyRealMode
                \/ BuggyVmmCopyProtMode \/ VmmSendInit \/ BuggyVmmSendSipi
                \/ VmmSeeStarted \/ VmmRetry \/ VmmGiveUp
BuggyVmmStep == BuggyVmmBoot \/ VmmServe
BuggyNext == BuggyVmmStep \/ (\E a \in APs : ApStep(a) \/ IopmStray(a)) \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(BuggyVmmStep)
             /\ \A a \in APs : WF_vars(ApStep(a))
=============================================================================
