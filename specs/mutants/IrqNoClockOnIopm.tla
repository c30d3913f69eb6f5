-------------------------- MODULE IrqNoClockOnIopm --------------------------
(***************************************************************************)
(* Forget the clock on the IOPMs: the tick is programmed on the BSP only   *)
(* (the broadcast to the APs is missing).  The IOPMs never take a tick,    *)
(* never beat their heartbeat, and the VMM declares running IOPMs failed.  *)
(* EXPECT: NoFalseFailure                                                  *)
(***************************************************************************)
EXTENDS IrqRouting

\* The VMM's tick handler as in ClockTick, but no tick reaches an AP.
BuggyClockTick ==
    /\ \A i \in Iopm : up[i] => ~tickIopm[i]
    /\ miss' = [i \in Iopm |-> IF failed[i] THEN miss[i]
                               ELSE IF beat[i] THEN 0
                               ELSE IF miss[i] < MissLimit THEN miss[i] + 1 ELSE miss[i]]
    /\ beat' = [i \in Iopm |-> FALSE]
    /\ UNCHANGED <<raised, ioapic, vmmIsr, route, failed, issued, answered,
                   pend, ringReq, up, iopmIsr, tickIopm, done>>

BuggyEnvironment == (\E d \in Dev : DeviceRaise(d)) \/ BuggyClockTick
                    \/ (\E i \in Iopm : IopmStop(i))
BuggyNext == BuggyEnvironment \/ VmmStep \/ (\E i \in Iopm : IopmStep(i))
BuggyFairness ==
    /\ WF_vars(BuggyClockTick)
    /\ WF_vars(VmmAccept) /\ WF_vars(VmmHandle) /\ WF_vars(VmmRoute)
    /\ WF_vars(\E i \in Iopm : VmmDetectFailure(i))
    /\ \A i \in Iopm : WF_vars(IopmTake(i)) /\ WF_vars(IopmHandle(i))
                       /\ WF_vars(IopmAnswer(i)) /\ WF_vars(IopmTick(i))
BuggySpec == Init /\ [][BuggyNext]_vars /\ BuggyFairness
=============================================================================
