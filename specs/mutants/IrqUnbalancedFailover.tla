----------------------- MODULE IrqUnbalancedFailover ------------------------
(***************************************************************************)
(* Unbalanced failover: the failover hands all the failed IOPM's devices   *)
(* to the lowest-numbered live IOPM (the "first spare") instead of         *)
(* spreading them by load.  With three IOPMs, one IOPM ends up with more   *)
(* than ceil(devices / live IOPMs) devices.                                *)
(* EXPECT: Balanced                                                        *)
(***************************************************************************)
EXTENDS IrqRouting

FirstSpare(f) == CHOOSE i \in Live \ {f} : \A j \in Live \ {f} : i <= j

BuggyVmmDetectFailure(f) ==
    /\ ~failed[f]
    /\ miss[f] >= MissLimit
    /\ Live \ {f} # {}
    /\ LET r == [d \in Dev |-> IF route[d] = f THEN FirstSpare(f) ELSE route[d]] IN
       /\ route' = r
       /\ pend' = Redeliver(f, r)
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
