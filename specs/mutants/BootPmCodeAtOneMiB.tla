-------------------------- MODULE BootPmCodeAtOneMiB --------------------------
(***************************************************************************)
(* Protected-mode code laid at 1 MiB: the VMM copies the IOPM's protected- *)
(* mode code where the Linux boot protocol traditionally puts it, 1 MiB,   *)
(* which the VMM itself occupies, instead of into the IOPM's zone.         *)
(* EXPECT: VmmZoneIntact                                                   *)
(***************************************************************************)
EXTENDS BootHandoff

BuggyVmmCopyProtMode ==
    /\ vmmPc = "pm"
    /\ mem' = [mem EXCEPT ![OneMiB + copied] = Pm(cur)]  \* the bug: zone[cur].lo
    /\ copied' = IF copied + 1 = PmSize THEN 0 ELSE copied + 1
    /\ vmmPc' = IF copied + 1 = PmSize THEN "init" ELSE "pm"
    /\ UNCHANGED <<cur, freeAt, zone, tries, sipis, status, work, handoff,
                   readyFlag, ipi, ap, lateBy, starts>>

BuggyVmmBoot == VmmAllocZone \/ VmmWriteHandoff \/ VmmCopyRealMode
                \/ BuggyVmmCopyProtMode \/ VmmSendInit \/ VmmSendSipi
                \/ VmmSeeStarted \/ VmmRetry \/ VmmGiveUp
BuggyVmmStep == BuggyVmmBoot \/ VmmServe
BuggyNext == BuggyVmmStep \/ (\E a \in APs : ApStep(a) \/ IopmStray(a)) \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(BuggyVmmStep)
             /\ \A a \in APs : WF_vars(ApStep(a))
=============================================================================
