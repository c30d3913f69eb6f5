-------------------------- MODULE IrqRouteToFailed --------------------------
(***************************************************************************)
(* Route to a failed IOPM: the VMM's interrupt fast path looks the target  *)
(* up in a vector -> IOPM cache filled at boot, and the failover rewrites  *)
(* only the routing table.  After a failover, an interrupt of a moved      *)
(* device is marked pending for (and an IPI sent to) the dead IOPM.        *)
(* EXPECT: NoDeliveryToFailed                                              *)
(***************************************************************************)
EXTENDS IrqRouting

\* Routes by the boot-time cache InitRoute instead of the live table route.
BuggyVmmRoute ==
    /\ vmmIsr # NoIrq
    /\ InitRoute[vmmIsr[1]] # 0
    /\ pend' = [pend EXCEPT ![InitRoute[vmmIsr[1]]] = Append(@, vmmIsr)]
    /\ vmmIsr' = NoIrq
    /\ UNCHANGED <<raised, ioapic, route, failed, miss, issued, answered, ringReq,
                   beat, up, iopmIsr, tickIopm, done>>

BuggyVmmStep == VmmAccept \/ VmmHandle \/ BuggyVmmRoute \/ (\E i \in Iopm : VmmRequest(i))
                \/ (\E i \in Iopm : VmmDetectFailure(i))
BuggyNext == Environment \/ BuggyVmmStep \/ (\E i \in Iopm : IopmStep(i))
BuggyFairness ==
    /\ WF_vars(ClockTick)
    /\ WF_vars(VmmAccept) /\ WF_vars(VmmHandle) /\ WF_vars(BuggyVmmRoute)
    /\ WF_vars(\E i \in Iopm : VmmDetectFailure(i))
    /\ \A i \in Iopm : WF_vars(IopmTake(i)) /\ WF_vars(IopmHandle(i))
                       /\ WF_vars(IopmAnswer(i)) /\ WF_vars(IopmTick(i))
BuggySpec == Init /\ [][BuggyNext]_vars /\ BuggyFairness
=============================================================================
