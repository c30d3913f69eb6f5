--------------------- MODULE GuestDiskLostAtFailover ----------------------
(***************************************************************************)
(* A disk lost at failover: the failed IOPM kept its disks' sectors in its *)
(* own memory, so the IOPM that takes its devices over starts them blank  *)
(* (sectors and registers).                                               *)
(* The requests are re-issued and every exit completes, but a sector the   *)
(* failed IOPM wrote reads back 0: the guest's own check fails.            *)
(* EXPECT: GuestChecksPass                                                 *)
(***************************************************************************)
EXTENDS GuestIo

\* VmmFailover, with f's devices handed over blank.
BuggyVmmFailover(f) ==
    /\ ~up[f]
    /\ ~failed[f]
    /\ Live \ {f} # {}
    /\ LET t == Min(Live \ {f}) IN
       /\ route' = [d \in Dev |-> IF route[d] = f THEN t ELSE route[d]]
       /\ reqQ' = [i \in Iopm |-> IF i = f THEN <<>>
                                  ELSE IF i = t THEN reqQ[t] \o reqQ[f]
                                  ELSE reqQ[i]]
    /\ failed' = [failed EXCEPT ![f] = TRUE]
    /\ dev' = [d \in Dev |-> IF route[d] = f THEN BlankDisk ELSE dev[d]]
    /\ UNCHANGED <<rip, rax, mode, exit, rspQ, up, execs, computed,
                   completions, appliedFrom, admin>>

BuggyVmmIo == (\E i \in Iopm : VmmCompleteExit(i)) \/ (\E f \in Iopm : BuggyVmmFailover(f))
BuggyNext == VmmStep \/ BuggyVmmIo \/ VmmStop \/ IopmStep \/ Finished
BuggyFairness ==
    /\ WF_vars(VmmStep \/ BuggyVmmIo)
    /\ \A i \in Iopm : WF_vars(IopmServe(i))
BuggySpec == Init /\ [][BuggyNext]_vars /\ BuggyFairness
=============================================================================
