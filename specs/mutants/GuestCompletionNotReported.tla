------------------- MODULE GuestCompletionNotReported ---------------------
(***************************************************************************)
(* A completion not reported: the disk controller writes the sector on a   *)
(* DATA out but forgets to record the command's completion in the guest's  *)
(* STATUS register (a DATA in still records its own).  Every exit is       *)
(* served and completed, but the STATUS the guest reads after its write    *)
(* names no sector (0), the guest then selects sector 0 and reads back     *)
(* what is there: its own check fails.                                     *)
(* EXPECT: GuestChecksPass                                                 *)
(***************************************************************************)
EXTENDS GuestIo

\* IopmServe, a DATA out leaving STATUS as it was.
BuggyIopmServe(i) ==
    /\ up[i]
    /\ reqQ[i] # <<>>
    /\ LET r == Head(reqQ[i])
           k == Insn(r.rip)
           d == dev[r.port]
           at == d.sel[r.vcpu]
           res == CASE Reg(k) = "status" -> d.stat[r.vcpu]
                    [] Reg(k) = "data" /\ r.dir = "in" -> d.sect[at]
                    [] OTHER -> 0
           d2 == CASE Reg(k) = "sel" -> [d EXCEPT !.sel[r.vcpu] = r.data]
                   [] Reg(k) = "data" /\ r.dir = "out" -> [d EXCEPT !.sect[at] = r.data]
                   [] Reg(k) = "data" -> [d EXCEPT !.stat[r.vcpu] = at]
                   [] OTHER -> d IN
       /\ dev' = [dev EXCEPT ![r.port] = d2]
       /\ execs' = [execs EXCEPT ![r.vcpu][k] = @ + 1]
       /\ computed' = [computed EXCEPT ![r.vcpu][k] = res]
       /\ rspQ' = [rspQ EXCEPT ![i] = Append(@, [vcpu |-> r.vcpu, rip |-> r.rip,
                                                 result |-> res])]
    /\ reqQ' = [reqQ EXCEPT ![i] = Tail(@)]
    /\ UNCHANGED <<rip, rax, mode, exit, route, failed, up, completions, appliedFrom, admin>>

BuggyIopmStep == \E i \in Iopm : BuggyIopmServe(i) \/ IopmFail(i) \/ IopmUi(i)
BuggyNext == VmmStep \/ VmmIo \/ VmmStop \/ BuggyIopmStep \/ Finished
BuggyFairness ==
    /\ WF_vars(VmmStep \/ VmmIo)
    /\ \A i \in Iopm : WF_vars(BuggyIopmServe(i)) /\ WF_vars(IopmUi(i))
BuggySpec == Init /\ [][BuggyNext]_vars /\ BuggyFairness
=============================================================================
