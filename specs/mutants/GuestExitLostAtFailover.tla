---------------------- MODULE GuestExitLostAtFailover -----------------------
(***************************************************************************)
(* An exit lost at failover: the failover moves the failed IOPM's devices  *)
(* to a live IOPM but takes the dead IOPM's request ring for drained (as   *)
(* if every request submitted had been served) and re-issues nothing.  A   *)
(* vCPU whose request was still on that ring waits forever.                *)
(* EXPECT: NoLostExit                                                      *)
(***************************************************************************)
EXTENDS GuestIo

\* VmmFailover without the re-issue: f's untaken requests are dropped.
BuggyVmmFailover(f) ==
    /\ ~up[f]
    /\ ~failed[f]
    /\ Live \ {f} # {}
    /\ LET t == Min(Live \ {f}) IN
       route' = [d \in Dev |-> IF route[d] = f THEN t ELSE route[d]]
    /\ reqQ' = [reqQ EXCEPT ![f] = <<>>]
    /\ failed' = [failed EXCEPT ![f] = TRUE]
    /\ UNCHANGED <<rip, rax, mode, exit, rspQ, up, dev, execs, computed,
                   completions, appliedFrom, admin>>

BuggyVmmIo == (\E i \in Iopm : VmmCompleteExit(i)) \/ (\E f \in Iopm : BuggyVmmFailover(f))
BuggyNext == VmmStep \/ BuggyVmmIo \/ IopmStep \/ Finished
BuggyFairness ==
    /\ WF_vars(VmmStep \/ BuggyVmmIo)
    /\ \A i \in Iopm : WF_vars(IopmServe(i))
BuggySpec == Init /\ [][BuggyNext]_vars /\ BuggyFairness
=============================================================================
