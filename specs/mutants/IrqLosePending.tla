--------------------------- MODULE IrqLosePending ---------------------------
(***************************************************************************)
(* Lose the pending interrupts of a failed IOPM: the failover re-delivers  *)
(* only the interrupt the dead IOPM was handling (read from its in-service *)
(* record) and drops the rest of its pending list, as if the IPIs already  *)
(* sent had made them someone else's business.                            *)
(* EXPECT: NoLostInterrupt                                                 *)
(***************************************************************************)
EXTENDS IrqRouting

\* Only the in-service interrupt of f, if any, goes to its device's new IOPM.
InServiceOnly(f, r) ==
    [i \in Iopm |-> IF i = f THEN <<>>
                    ELSE IF iopmIsr[f] # NoIrq /\ r[iopmIsr[f][1]] = i
                         THEN Append(pend[i], iopmIsr[f]) ELSE pend[i]]

BuggyVmmDetectFailure(f) ==
    /\ ~failed[f]
    /\ miss[f] >= MissLimit
    /\ Live \ {f} # {}
    /\ LET r == NewRoute(f) IN
       /\ route' = r
       /\ pend' = InServiceOnly(f, r)
       /\ ringReq' = [i \in Iopm |-> IF i = f THEN 0
                                     ELSE IF i = RequeueTo(f, r) THEN ringReq[i] + ringReq[f]
                                     ELSE ringReq[i]]
    /\ failed' = [failed EXCEPT ![f] = TRUE]
    /\ iopmIsr' = [iopmIsr EXCEPT ![f] = NoIrq]
    /\ UNCHANGED <<raised, ioapic, vmmIsr, miss, issued, answered, beat, up,
                   tickIopm, done>>

BuggyVmmStep == VmmAccept \/ VmmHandle \/ VmmRoute \/ (\E i \in Iopm : VmmRequest(i))
                \/ (\E i \in Iopm : BuggyVmmDetectFailure(i))
BuggyNext == Environment \/ BuggyVmmStep \/ (\E i \in Iopm : IopmStep(i))
BuggyFairness ==
    /\ WF_vars(ClockTick)
    /\ WF_vars(VmmAccept) /\ WF_vars(VmmHandle) /\ WF_vars(VmmRoute)
    /\ WF_vars(\E i \in Iopm : BuggyVmmDetectFailure(i))
    /\ \A i \in Iopm : WF_vars(IopmTake(i)) /\ WF_vars(IopmHandle(i))
                       /\ WF_vars(IopmAnswer(i)) /\ WF_vars(IopmTick(i))
BuggySpec == Init /\ [][BuggyNext]_vars /\ BuggyFairness
=============================================================================
