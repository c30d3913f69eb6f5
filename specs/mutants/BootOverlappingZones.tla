------------------------- MODULE BootOverlappingZones -------------------------
(***************************************************************************)
(* Overlapping zones: the allocator advances its free pointer by the size  *)
(* of the IOPM's code instead of the size of its zone (the data the IOPM   *)
(* sets up after its code is forgotten), so the next IOPM's zone starts    *)
(* inside this one's and its code is laid over this IOPM's data.           *)
(* EXPECT: ZonesDisjoint                                                   *)
(***************************************************************************)
EXTENDS BootHandoff

BuggyVmmAllocZone ==
    /\ vmmPc = "alloc"
    /\ freeAt + ZoneSize <= MemTop
    /\ zone' = [zone EXCEPT ![cur] = [lo |-> freeAt, hi |-> freeAt + ZoneSize]]
    /\ freeAt' = freeAt + PmSize                        \* the bug: ZoneSize
    /\ vmmPc' = "handoff"
    /\ UNCHANGED <<cur, copied, tries, sipis, status, work, mem, handoff,
                   readyFlag, ipi, ap, lateBy, starts>>

BuggyVmmBoot == BuggyVmmAllocZone \/ VmmWriteHandoff \/ VmmCopyRealMode
                \/ VmmCopyProtMode \/ VmmSendInit \/ VmmSendSipi
                \/ VmmSeeStarted \/ VmmRetry \/ VmmGiveUp
BuggyVmmStep == BuggyVmmBoot \/ VmmServe
BuggyNext == BuggyVmmStep \/ (\E a \in APs : ApStep(a) \/ IopmStray(a)) \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(BuggyVmmStep)
             /\ \A a \in APs : WF_vars(ApStep(a))
=============================================================================
