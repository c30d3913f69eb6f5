------------------------ MODULE AdminStopDuringExit ------------------------
(***************************************************************************)
(* A command carried out while its VM's exit is in flight: the VMM stops   *)
(* (or destroys) a vCPU that waits for an IOPM's answer.  The request is   *)
(* still on the ring and its answer will come for a vCPU that no longer    *)
(* waits for it.                                                           *)
(* EXPECT: OneRequestPerExit                                               *)
(***************************************************************************)
EXTENDS GuestIo

\* VmmCarryOutCommand without its wait for the VM's exit to complete; an
\* exited vCPU counts as running (the VMM looks only at "not stopped").
BuggyVmmCarryOutCommand(i) ==
    /\ cmdQ[i] # <<>>
    /\ LET c == Head(cmdQ[i])
           v == c.vcpu
           m == IF InExit(v) THEN "guest" ELSE mode[v]
           ok == CASE c.op = "create" -> m = "absent"
                   [] c.op = "start" -> m \in {"created", "paused"}
                   [] c.op = "stop" -> m = "guest"
                   [] c.op = "destroy" -> m \in {"created", "guest", "paused", "halted", "stopped"}
           to == CASE c.op = "create" -> "created"
                   [] c.op = "start" -> "guest"
                   [] c.op = "stop" -> "paused"
                   [] c.op = "destroy" -> "destroyed" IN
       /\ mode' = IF ok THEN [mode EXCEPT ![v] = to] ELSE mode
       /\ ansQ' = [ansQ EXCEPT ![i] = Append(@, [n |-> c.n, ok |-> ok])]
    /\ cmdQ' = [cmdQ EXCEPT ![i] = Tail(@)]
    /\ UNCHANGED <<rip, rax, exit, route, failed, reqQ, rspQ, up, dev, execs,
                   computed, completions, appliedFrom, issued, answered>>

BuggyVmmIo == (\E i \in Iopm : VmmCompleteExit(i) \/ BuggyVmmCarryOutCommand(i))
              \/ (\E f \in Iopm : VmmFailover(f))
BuggyNext == VmmStep \/ BuggyVmmIo \/ VmmStop \/ IopmStep \/ Finished
BuggyFairness ==
    /\ WF_vars(VmmStep \/ BuggyVmmIo)
    /\ \A i \in Iopm : WF_vars(IopmServe(i)) /\ WF_vars(IopmUi(i))
BuggySpec == Init /\ [][BuggyNext]_vars /\ BuggyFairness
=============================================================================
