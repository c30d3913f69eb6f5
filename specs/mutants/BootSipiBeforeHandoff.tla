------------------------- MODULE BootSipiBeforeHandoff -------------------------
(***************************************************************************)
(* SIPI before the hand-off block is complete: the VMM lays the code and   *)
(* starts the AP, and fills in the boot parameters while the AP is in its  *)
(* real-mode start, on the theory that the AP reads them only later.  A    *)
(* fast AP reads an empty block (zone bounds 0: no limits at all).         *)
(* EXPECT: HandoffBeforeSipi                                               *)
(***************************************************************************)
EXTENDS BootHandoff

\* Allocates the zone, then lays the code at once.
BuggyVmmAllocZone ==
    /\ vmmPc = "alloc"
    /\ freeAt + ZoneSize <= MemTop
    /\ zone' = [zone EXCEPT ![cur] = [lo |-> freeAt, hi |-> freeAt + ZoneSize]]
    /\ freeAt' = freeAt + ZoneSize
    /\ vmmPc' = "rm"                                    \* the bug: "handoff"
    /\ UNCHANGED <<cur, copied, tries, sipis, status, work, mem, handoff,
                   readyFlag, ipi, ap, lateBy, starts>>

\* After the second SIPI, writes the hand-off block...
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
    /\ vmmPc' = IF vmmPc = "sipi1" THEN "sipi2"
                ELSE IF handoff[cur] = NoHandoff THEN "handoff" ELSE "wait"
    /\ UNCHANGED <<cur, freeAt, copied, zone, tries, status, work, mem,
                   handoff, readyFlag, ipi>>

\* ...field by field, then waits for the AP.
BuggyVmmWriteHandoff ==
    /\ vmmPc = "handoff"
    /\ LET h == handoff[cur] IN
       /\ handoff' = [handoff EXCEPT ![cur] =
              IF h.entry = 0 THEN [h EXCEPT !.entry = zone[cur].lo]
              ELSE IF h.lo = 0 THEN [h EXCEPT !.lo = zone[cur].lo, !.hi = zone[cur].hi]
              ELSE [h EXCEPT !.shared = SharedAt]]
       /\ vmmPc' = IF h.entry # 0 /\ h.lo # 0 THEN "wait" ELSE "handoff"
    /\ UNCHANGED <<cur, freeAt, copied, zone, tries, sipis, status, work, mem,
                   readyFlag, ipi, ap, lateBy, starts>>

BuggyVmmBoot == BuggyVmmAllocZone \/ BuggyVmmWriteHandoff \/ VmmCopyRealMode
                \/ VmmCopyProtMode \/ VmmSendInit \/ BuggyVmmSendSipi
                \/ VmmSeeStarted \/ VmmRetry \/ VmmGiveUp
BuggyVmmStep == BuggyVmmBoot \/ VmmServe
BuggyNext == BuggyVmmStep \/ (\E a \in APs : ApStep(a) \/ IopmStray(a)) \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(BuggyVmmStep)
             /\ \A a \in APs : WF_vars(ApStep(a))
=============================================================================
