------------------------ MODULE GuestRipNotAdvanced -------------------------
(***************************************************************************)
(* RIP not advanced: the VMM applies the response (an IN's data into AL)   *)
(* but leaves RIP at the exit's instruction (it forgets to add the         *)
(* instruction length from the VM-exit information).  The re-entered       *)
(* guest executes the same instruction again: a second exit, and the I/O   *)
(* takes effect twice (IoExactlyOnce fails four steps later).              *)
(* EXPECT: ResumesPastTheExit                                              *)
(***************************************************************************)
EXTENDS GuestIo

\* VmmCompleteExit without the RIP update.
BuggyVmmCompleteExit(i) ==
    /\ rspQ[i] # <<>>
    /\ LET r == Head(rspQ[i])
           v == r.vcpu
           k == Insn(exit[v].rip) IN
       /\ rax' = [rax EXCEPT ![v] = IF exit[v].dir = "in" THEN r.result ELSE @]
       /\ mode' = [mode EXCEPT ![v] = "completed"]
       /\ completions' = [completions EXCEPT ![v][k] = @ + 1]
       /\ appliedFrom' = [appliedFrom EXCEPT ![v] = r.vcpu]
    /\ rspQ' = [rspQ EXCEPT ![i] = Tail(@)]
    /\ UNCHANGED <<rip, exit, route, failed, reqQ, up, dev, execs, computed, admin>>

BuggyVmmIo == (\E i \in Iopm : BuggyVmmCompleteExit(i)) \/ (\E f \in Iopm : VmmFailover(f))
BuggyNext == VmmStep \/ BuggyVmmIo \/ IopmStep \/ Finished
BuggyFairness ==
    /\ WF_vars(VmmStep \/ BuggyVmmIo)
    /\ \A i \in Iopm : WF_vars(IopmServe(i))
BuggySpec == Init /\ [][BuggyNext]_vars /\ BuggyFairness
=============================================================================
