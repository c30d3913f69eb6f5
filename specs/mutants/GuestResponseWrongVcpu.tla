---------------------- MODULE GuestResponseWrongVcpu ------------------------
(***************************************************************************)
(* A response applied to the wrong vCPU: the VMM finds the vCPU a response *)
(* is for by the RIP it carries (the lowest-numbered vCPU waiting at that  *)
(* RIP), not by its vCPU field.  Every vCPU runs the same guest code, so   *)
(* two vCPUs wait at one RIP, and vCPU 2's answer completes vCPU 1's exit. *)
(* EXPECT: ResponseToItsVcpu                                               *)
(***************************************************************************)
EXTENDS GuestIo

\* The vCPU waiting at RIP a, lowest first; the response's own vCPU if none.
WaiterAt(a, w) ==
    LET at == {v \in Vcpu : mode[v] = "waiting" /\ exit[v].rip = a} IN
    IF at # {} THEN Min(at) ELSE w

\* VmmCompleteExit, but applied to the vCPU WaiterAt picks.
BuggyVmmCompleteExit(i) ==
    /\ rspQ[i] # <<>>
    /\ LET r == Head(rspQ[i])
           v == WaiterAt(r.rip, r.vcpu)
           k == Insn(exit[v].rip) IN
       /\ rip' = [rip EXCEPT ![v] = exit[v].rip + ILen(k)]
       /\ rax' = [rax EXCEPT ![v] = IF exit[v].dir = "in" THEN r.result ELSE @]
       /\ mode' = [mode EXCEPT ![v] = "completed"]
       /\ completions' = [completions EXCEPT ![v][k] = @ + 1]
       /\ appliedFrom' = [appliedFrom EXCEPT ![v] = r.vcpu]
    /\ rspQ' = [rspQ EXCEPT ![i] = Tail(@)]
    /\ UNCHANGED <<exit, route, failed, reqQ, up, dev, execs, computed, admin>>

BuggyVmmIo == (\E i \in Iopm : BuggyVmmCompleteExit(i)) \/ (\E f \in Iopm : VmmFailover(f))
BuggyNext == VmmStep \/ BuggyVmmIo \/ IopmStep \/ Finished
BuggyFairness ==
    /\ WF_vars(VmmStep \/ BuggyVmmIo)
    /\ \A i \in Iopm : WF_vars(IopmServe(i))
BuggySpec == Init /\ [][BuggyNext]_vars /\ BuggyFairness
=============================================================================
