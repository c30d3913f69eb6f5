------------------------- MODULE IrqDoubleDelivery --------------------------
(***************************************************************************)
(* Deliver twice after failover: the failover re-delivers the interrupt    *)
(* the dead IOPM was handling and then its whole pending list, not seeing  *)
(* that the in-service interrupt, unacknowledged, is still at the head of  *)
(* that list.  The new IOPM handles it twice.                              *)
(* EXPECT: HandledAtMostOnce                                               *)
(***************************************************************************)
EXTENDS IrqRouting

\* f's in-service interrupt (if any), then all of f's pending list.
InServiceAndPending(f, r) ==
    LET moved == IF iopmIsr[f] # NoIrq THEN <<iopmIsr[f]>> \o pend[f] ELSE pend[f] IN
    [i \in Iopm |-> IF i = f THEN <<>>
                    ELSE pend[i] \o SelectSeq(moved, LAMBDA x : r[x[1]] = i)]

BuggyVmmDetectFailure(f) ==
    /\ ~failed[f]
    /\ miss[f] >= MissLimit
    /\ Live \ {f} # {}
    /\ LET r == NewRoute(f) IN
       /\ route' = r
       /\ pend' = InServiceAndPending(f, r)
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
