--------------------- MODULE GuestResumeBeforeResponse ----------------------
(***************************************************************************)
(* Resume before the response: the VMM's exit epilogue re-enters a vCPU    *)
(* as soon as its request is on the ring (port I/O treated as a posted     *)
(* write, to cut exit latency), advancing RIP itself; the response is      *)
(* applied whenever it comes.  The guest runs past an IN whose data has    *)
(* not arrived, and past an OUT the device has not yet taken.              *)
(* EXPECT: RunsOnlyWhenAnswered                                            *)
(***************************************************************************)
EXTENDS GuestIo

\* Re-enters v once its request is submitted, RIP past the exit's instruction.
BuggyVmmResumeGuest(v) ==
    /\ mode[v] \in {"waiting", "completed"}
    /\ mode' = [mode EXCEPT ![v] = "guest"]
    /\ rip' = [rip EXCEPT ![v] = exit[v].rip + ILen(Insn(exit[v].rip))]
    /\ UNCHANGED <<rax, exit, route, failed, reqQ, rspQ, up, dev, execs,
                   computed, completions, appliedFrom, admin>>

BuggyVmmStep == \E v \in Vcpu : VmmCaptureExit(v) \/ VmmSubmitExit(v) \/ BuggyVmmResumeGuest(v)
BuggyNext == BuggyVmmStep \/ VmmIo \/ IopmStep \/ Finished
BuggyFairness ==
    /\ WF_vars(BuggyVmmStep \/ VmmIo)
    /\ \A i \in Iopm : WF_vars(IopmServe(i))
BuggySpec == Init /\ [][BuggyNext]_vars /\ BuggyFairness
=============================================================================
