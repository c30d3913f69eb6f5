------------------------- MODULE IrqAckBeforeHandle -------------------------
(***************************************************************************)
(* Acknowledge before handling: the IOPM's IPI handler pops the interrupt  *)
(* off its shared pending list (the acknowledgement) when it takes it, and *)
(* handles it afterwards.  If the IOPM dies in between, the VMM finds      *)
(* nothing unacknowledged to re-deliver and the interrupt is lost.         *)
(* EXPECT: AckAfterHandle                                                  *)
(***************************************************************************)
EXTENDS IrqRouting

\* Takes the oldest pending interrupt and acknowledges it at once.
BuggyIopmTake(i) ==
    /\ up[i]
    /\ iopmIsr[i] = NoIrq
    /\ pend[i] # <<>>
    /\ iopmIsr' = [iopmIsr EXCEPT ![i] = Head(pend[i])]
    /\ pend' = [pend EXCEPT ![i] = Tail(@)]
    /\ UNCHANGED <<raised, ioapic, vmmIsr, route, failed, miss, issued, answered,
                   ringReq, beat, up, tickIopm, done>>

\* Handles it; the acknowledgement was already given.
BuggyIopmHandle(i) ==
    /\ up[i]
    /\ iopmIsr[i] # NoIrq
    /\ done' = [done EXCEPT ![iopmIsr[i][1]] = Append(@, iopmIsr[i][2])]
    /\ iopmIsr' = [iopmIsr EXCEPT ![i] = NoIrq]
    /\ UNCHANGED <<raised, ioapic, vmmIsr, route, failed, miss, issued, answered,
                   pend, ringReq, beat, up, tickIopm>>

BuggyIopmStep(i) == BuggyIopmTake(i) \/ BuggyIopmHandle(i) \/ IopmAnswer(i) \/ IopmTick(i)
BuggyNext == Environment \/ VmmStep \/ (\E i \in Iopm : BuggyIopmStep(i))
BuggyFairness ==
    /\ WF_vars(ClockTick)
    /\ WF_vars(VmmAccept) /\ WF_vars(VmmHandle) /\ WF_vars(VmmRoute)
    /\ WF_vars(\E i \in Iopm : VmmDetectFailure(i))
    /\ \A i \in Iopm : WF_vars(BuggyIopmTake(i)) /\ WF_vars(BuggyIopmHandle(i))
                       /\ WF_vars(IopmAnswer(i)) /\ WF_vars(IopmTick(i))
BuggySpec == Init /\ [][BuggyNext]_vars /\ BuggyFairness
=============================================================================
