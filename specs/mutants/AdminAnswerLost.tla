-------------------------- MODULE AdminAnswerLost --------------------------
(***************************************************************************)
(* An answer lost: the VMM answers only the commands it carried out, and   *)
(* writes nothing for one it refused.  The console's user waits for ever   *)
(* for that answer, and the answers no longer match the commands.          *)
(* EXPECT: CommandsAnsweredInOrder                                         *)
(***************************************************************************)
EXTENDS GuestIo

\* VmmCarryOutCommand, with no answer for a refusal.
BuggyVmmCarryOutCommand(i) ==
    /\ cmdQ[i] # <<>>
    /\ LET c == Head(cmdQ[i])
           v == c.vcpu
           m == mode[v]
           ok == CASE c.op = "create" -> m = "absent"
                   [] c.op = "start" -> m \in {"created", "paused"}
                   [] c.op = "stop" -> m = "guest"
                   [] c.op = "destroy" -> m \in {"created", "guest", "paused", "halted", "stopped"}
           to == CASE c.op = "create" -> "created"
                   [] c.op = "start" -> "guest"
                   [] c.op = "stop" -> "paused"
                   [] c.op = "destroy" -> "destroyed" IN
       /\ ~InExit(v)
       /\ mode' = IF ok THEN [mode EXCEPT ![v] = to] ELSE mode
       /\ ansQ' = IF ok THEN [ansQ EXCEPT ![i] = Append(@, [n |-> c.n, ok |-> ok])] ELSE ansQ
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
