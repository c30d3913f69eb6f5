--------------------------- MODULE BootWorkToVmmAp ---------------------------
(***************************************************************************)
(* Ring work to a VMM CPU: the VMM queues work to every AP it saw ready,   *)
(* as if each ran an IOPM, so a request goes on a ring no IOPM serves (the *)
(* AP beside the BSP runs the VMM and its guests).  The same state breaks  *)
(* NoWorkBeforeReady (a VMM AP is never an IOPM that is ready): the cfg    *)
(* lists EachApItsRole first, the property the bug is about.               *)
(* EXPECT: EachApItsRole                                                   *)
(***************************************************************************)
EXTENDS BootHandoff

BuggyVmmQueueWork(a) ==
    /\ status[a] = "ready"                              \* the bug: no a \in IopmAPs
    /\ work[a] < MaxWork
    /\ work' = [work EXCEPT ![a] = @ + 1]
    /\ UNCHANGED <<vmmPc, cur, freeAt, copied, zone, tries, sipis, status, mem,
                   handoff, readyFlag, ipi, ap, lateBy, starts>>

BuggyVmmServe == \E a \in APs : VmmSeeReady(a) \/ VmmSeeFault(a) \/ BuggyVmmQueueWork(a)
BuggyVmmStep == VmmBoot \/ BuggyVmmServe
BuggyNext == BuggyVmmStep \/ (\E a \in APs : ApStep(a) \/ IopmStray(a)) \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars /\ WF_vars(BuggyVmmStep)
             /\ \A a \in APs : WF_vars(ApStep(a))
=============================================================================
