----------------------------- MODULE IrqRouting -----------------------------
(***************************************************************************)
(* Interrupt routing in the cooperative-model VMM (seed, part 2 B and     *)
(* part 3 A 3-5).                                                          *)
(*                                                                         *)
(* Devices raise interrupts; the IOAPIC delivers every external interrupt *)
(* to the BSP, where the VMM runs.  The VMM's routing table maps each      *)
(* device either to the VMM itself (the few high-frequency devices whose   *)
(* driver lives in the VMM: devices 1 .. NVmmDev) or to one IOPM.  Routing *)
(* to an IOPM marks the interrupt pending in that IOPM's list in the       *)
(* shared zone and sends it an IPI; the IOPM takes the oldest pending      *)
(* interrupt, handles it, and only then acknowledges it by removing it     *)
(* from the list.  EOI order is that of real hardware: the VMM writes its  *)
(* local APIC's EOI as the last act of servicing an interrupt and accepts  *)
(* the next one only after it.  (The IPI itself is abstracted: an IOPM's   *)
(* take is enabled by the pending mark; the wake-up protocol is CoopRing's.)*)
(*                                                                         *)
(* The clock tick reaches the VMM and every IOPM.  On its tick an IOPM     *)
(* beats its heartbeat; the VMM's tick handler (run in the tick's step)    *)
(* counts, per IOPM, the ticks without a beat.  Timing assumption: the     *)
(* tick period (ms) dwarfs the handler latency (us), so a running IOPM     *)
(* takes each tick before the next one fires, and never misses a beat.     *)
(*                                                                         *)
(* Failure: an IOPM stops for good (crash, or a hang the VMM fences).  At  *)
(* MissLimit missed beats the VMM marks it failed and, in one step (the    *)
(* tick handler): moves its devices to the live IOPMs (load balance        *)
(* policy: each moved device, lowest first, goes to the live IOPM with the *)
(* fewest devices, lowest id on a tie; at boot devices are dealt round     *)
(* robin), re-delivers its unacknowledged interrupts to their devices' new *)
(* IOPMs in order, and re-queues its unanswered ring requests on the live  *)
(* IOPM with the fewest devices after that (lowest id on a tie).  Ring     *)
(* requests are abstract: a count of outstanding requests per IOPM.      *)
(*                                                                         *)
(* "While an IOPM lives": at most MaxCrash < NIopm IOPMs stop.             *)
(*                                                                         *)
(* VMM CPUs beside the BSP (BootHandoff's NVmmAps) take no part here: the  *)
(* IOAPIC's destination stays the BSP (seed: the VMM receives every        *)
(* external interrupt), and their own clock ticks schedule their guests,   *)
(* not the routing, so "the VMM" of this spec is the BSP.                  *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    NDev,       \* devices 1 .. NDev
    NVmmDev,    \* devices 1 .. NVmmDev are handled in the VMM
    NIopm,      \* IOPMs 1 .. NIopm
    MaxIrq,     \* interrupts raised in one behaviour
    MaxReq,     \* ring requests issued in one behaviour
    MaxCrash,   \* IOPMs that may stop in one behaviour
    MissLimit   \* missed heartbeats after which the VMM declares an IOPM failed

ASSUME NDev \in Nat \ {0} /\ NVmmDev \in 0 .. NDev /\ NIopm \in Nat \ {0}
ASSUME MaxIrq \in Nat /\ MaxReq \in Nat /\ MaxCrash \in 0 .. NIopm - 1
ASSUME MissLimit \in Nat \ {0}

Dev == 1 .. NDev
VmmDev == 1 .. NVmmDev
IopmDev == NVmmDev + 1 .. NDev
Iopm == 1 .. NIopm
NoIrq == <<0, 0>>               \* an empty interrupt slot
\* An interrupt is <<d, k>>: the k-th interrupt raised by device d.

VARIABLES
    \* devices and the IOAPIC
    raised,     \* raised[d]: interrupts device d raised so far
    ioapic,     \* interrupts sent by the IOAPIC to the BSP, not yet accepted, in order
    \* VMM (BSP)
    vmmIsr,     \* the interrupt the VMM is servicing (its local APIC's ISR), or NoIrq
    route,      \* the routing table: device -> 0 (the VMM) or an IOPM
    failed,     \* failed[i]: the VMM has declared IOPM i failed
    miss,       \* miss[i]: consecutive VMM ticks without a beat from IOPM i
    issued,     \* ring requests the VMM issued
    answered,   \* ring requests answered
    \* shared zone
    pend,       \* pend[i]: interrupts delivered to IOPM i and not acknowledged, in order
    ringReq,    \* ringReq[i]: ring requests outstanding at IOPM i
    beat,       \* beat[i]: IOPM i beat since the VMM's last check
    \* IOPMs (APs)
    up,         \* up[i]: IOPM i runs (FALSE once it stopped)
    iopmIsr,    \* iopmIsr[i]: the interrupt IOPM i is handling, or NoIrq
    \* clock
    tickIopm,   \* tickIopm[i]: a tick is pending at IOPM i's AP
    \* history
    done        \* done[d]: the numbers k of device d's interrupts handled, in order

vars == <<raised, ioapic, vmmIsr, route, failed, miss, issued, answered, pend,
          ringReq, beat, up, iopmIsr, tickIopm, done>>

RECURSIVE SumOver(_, _)
\* The sum of f[x] over x in the finite set S.
SumOver(f, S) == IF S = {} THEN 0
                 ELSE LET x == CHOOSE y \in S : TRUE IN f[x] + SumOver(f, S \ {x})

Range(s) == {s[i] : i \in 1 .. Len(s)}
NRaised == SumOver(raised, Dev)
NHandled == SumOver([d \in Dev |-> Len(done[d])], Dev)
Live == {i \in Iopm : ~failed[i]}          \* the IOPMs the VMM still uses
Load(r, i) == Cardinality({d \in Dev : r[d] = i})
CeilDiv(a, b) == (a + b - 1) \div b
\* The boot routing: VMM devices to the VMM, the others dealt round robin.
InitRoute == [d \in Dev |-> IF d \in VmmDev THEN 0 ELSE ((d - NVmmDev - 1) % NIopm) + 1]

\* Of the IOPMs L, the one with the least f-value, lowest id on a tie.
ArgMin(f, L) == CHOOSE i \in L : \A j \in L : f[i] < f[j] \/ (f[i] = f[j] /\ i <= j)
Min(S) == CHOOSE i \in S : \A j \in S : i <= j

\* The load-balance policy: each device of ds, lowest first, moves to the IOPM
\* of L with the fewest devices (lowest id on a tie).
RECURSIVE Rebalance(_, _, _)
Rebalance(ds, r, L) ==
    IF ds = {} THEN r
    ELSE LET d == CHOOSE x \in ds : \A y \in ds : x <= y
             t == ArgMin([i \in Iopm |-> Load(r, i)], L)
         IN Rebalance(ds \ {d}, [r EXCEPT ![d] = t], L)

-----------------------------------------------------------------------------
Init ==
    /\ raised = [d \in Dev |-> 0]
    /\ ioapic = <<>>
    /\ vmmIsr = NoIrq
    /\ route = InitRoute
    /\ failed = [i \in Iopm |-> FALSE]
    /\ miss = [i \in Iopm |-> 0]
    /\ issued = 0 /\ answered = 0
    /\ pend = [i \in Iopm |-> <<>>]
    /\ ringReq = [i \in Iopm |-> 0]
    /\ beat = [i \in Iopm |-> TRUE]     \* booted IOPMs have beaten
    /\ up = [i \in Iopm |-> TRUE]
    /\ iopmIsr = [i \in Iopm |-> NoIrq]
    /\ tickIopm = [i \in Iopm |-> FALSE]
    /\ done = [d \in Dev |-> <<>>]

-----------------------------------------------------------------------------
(* Environment: devices, the clock, failures *)

\* Device d raises its next interrupt; the IOAPIC sends it to the BSP.
DeviceRaise(d) ==
    /\ NRaised < MaxIrq
    /\ raised' = [raised EXCEPT ![d] = @ + 1]
    /\ ioapic' = Append(ioapic, <<d, raised[d] + 1>>)
    /\ UNCHANGED <<vmmIsr, route, failed, miss, issued, answered, pend, ringReq,
                   beat, up, iopmIsr, tickIopm, done>>

\* The clock ticks at the BSP and at every AP.  The VMM's tick handler checks
\* the heartbeats: per IOPM still in use, a beat since the last tick resets
\* its miss count, none adds one; the beats are cleared for the next tick.
\* Timing assumption: every running IOPM took the previous tick.
ClockTick ==
    /\ \A i \in Iopm : up[i] => ~tickIopm[i]
    /\ miss' = [i \in Iopm |-> IF failed[i] THEN miss[i]
                               ELSE IF beat[i] THEN 0
                               ELSE IF miss[i] < MissLimit THEN miss[i] + 1 ELSE miss[i]]
    /\ beat' = [i \in Iopm |-> FALSE]
    /\ tickIopm' = [i \in Iopm |-> TRUE]
    /\ UNCHANGED <<raised, ioapic, vmmIsr, route, failed, issued, answered,
                   pend, ringReq, up, iopmIsr, done>>

\* IOPM i stops for good: a crash, or a hang (the VMM fences it when it
\* declares it failed).  At most MaxCrash IOPMs stop.
IopmStop(i) ==
    /\ up[i]
    /\ Cardinality({j \in Iopm : ~up[j]}) < MaxCrash
    /\ up' = [up EXCEPT ![i] = FALSE]
    /\ UNCHANGED <<raised, ioapic, vmmIsr, route, failed, miss, issued, answered,
                   pend, ringReq, beat, iopmIsr, tickIopm, done>>

-----------------------------------------------------------------------------
(* VMM actions (BSP) *)

\* The VMM accepts the oldest interrupt the IOAPIC sent; only with its
\* in-service register empty (the previous interrupt got its EOI).
VmmAccept ==
    /\ vmmIsr = NoIrq
    /\ ioapic # <<>>
    /\ vmmIsr' = Head(ioapic)
    /\ ioapic' = Tail(ioapic)
    /\ UNCHANGED <<raised, route, failed, miss, issued, answered, pend, ringReq,
                   beat, up, iopmIsr, tickIopm, done>>

\* The interrupt's device is the VMM's own: its driver in the VMM handles
\* it, then the VMM writes the EOI.
VmmHandle ==
    /\ vmmIsr # NoIrq
    /\ route[vmmIsr[1]] = 0
    /\ done' = [done EXCEPT ![vmmIsr[1]] = Append(@, vmmIsr[2])]
    /\ vmmIsr' = NoIrq
    /\ UNCHANGED <<raised, ioapic, route, failed, miss, issued, answered, pend,
                   ringReq, beat, up, iopmIsr, tickIopm>>

\* The interrupt's device belongs to an IOPM: the VMM marks it pending in
\* that IOPM's list in the shared zone, sends the IPI, then writes the EOI.
VmmRoute ==
    /\ vmmIsr # NoIrq
    /\ route[vmmIsr[1]] # 0
    /\ pend' = [pend EXCEPT ![route[vmmIsr[1]]] = Append(@, vmmIsr)]
    /\ vmmIsr' = NoIrq
    /\ UNCHANGED <<raised, ioapic, route, failed, miss, issued, answered, ringReq,
                   beat, up, iopmIsr, tickIopm, done>>

\* A guest's I/O request goes on the ring of IOPM i, one the VMM uses.
VmmRequest(i) ==
    /\ issued < MaxReq
    /\ ~failed[i]
    /\ ringReq' = [ringReq EXCEPT ![i] = @ + 1]
    /\ issued' = issued + 1
    /\ UNCHANGED <<raised, ioapic, vmmIsr, route, failed, miss, answered, pend,
                   beat, up, iopmIsr, tickIopm, done>>

\* Where the failed IOPM f's interrupts and requests go (shared by the
\* failover and its mutants).
NewRoute(f) == Rebalance({d \in Dev : route[d] = f}, route, Live \ {f})
Redeliver(f, r) ==
    [i \in Iopm |-> IF i = f THEN <<>>
                    ELSE pend[i] \o SelectSeq(pend[f], LAMBDA x : r[x[1]] = i)]
\* The ring requests go to the lowest-numbered live IOPM: a choice the VMM
\* can make exactly (it cannot know which requests an IOPM has answered but
\* not yet published), and the same IOPM GuestIo's failover gives a failed
\* IOPM's guest devices and re-issued exits, so the two specs agree on where
\* a failed IOPM's ring traffic goes.  (r, the rebalance, is not used.)
RequeueTo(f, r) == Min(Live \ {f})

\* IOPM f missed MissLimit beats: the VMM marks it failed (fencing it), moves
\* its devices to the live IOPMs, re-delivers its unacknowledged interrupts
\* (including the one it was handling, still at the head of its list) and
\* re-queues its unanswered ring requests.  The last IOPM in use is kept.
VmmDetectFailure(f) ==
    /\ ~failed[f]
    /\ miss[f] >= MissLimit
    /\ Live \ {f} # {}
    /\ LET r == NewRoute(f) IN
       /\ route' = r
       /\ pend' = Redeliver(f, r)
       /\ ringReq' = [i \in Iopm |-> IF i = f THEN 0
                                     ELSE IF i = RequeueTo(f, r) THEN ringReq[i] + ringReq[f]
                                     ELSE ringReq[i]]
    /\ failed' = [failed EXCEPT ![f] = TRUE]
    /\ iopmIsr' = [iopmIsr EXCEPT ![f] = NoIrq]
    /\ UNCHANGED <<raised, ioapic, vmmIsr, miss, issued, answered, beat, up,
                   tickIopm, done>>

-----------------------------------------------------------------------------
(* IOPM actions (APs) *)

\* IOPM i, idle, takes the oldest interrupt pending for it (it stays in the
\* shared list: it is not acknowledged yet).
IopmTake(i) ==
    /\ up[i]
    /\ iopmIsr[i] = NoIrq
    /\ pend[i] # <<>>
    /\ iopmIsr' = [iopmIsr EXCEPT ![i] = Head(pend[i])]
    /\ UNCHANGED <<raised, ioapic, vmmIsr, route, failed, miss, issued, answered,
                   pend, ringReq, beat, up, tickIopm, done>>

\* IOPM i's driver handles the interrupt; then the IOPM acknowledges it by
\* removing it from its pending list.
IopmHandle(i) ==
    /\ up[i]
    /\ iopmIsr[i] # NoIrq
    /\ done' = [done EXCEPT ![iopmIsr[i][1]] = Append(@, iopmIsr[i][2])]
    /\ pend' = [pend EXCEPT ![i] = Tail(@)]
    /\ iopmIsr' = [iopmIsr EXCEPT ![i] = NoIrq]
    /\ UNCHANGED <<raised, ioapic, vmmIsr, route, failed, miss, issued, answered,
                   ringReq, beat, up, tickIopm>>

\* IOPM i answers one request on its ring.
IopmAnswer(i) ==
    /\ up[i]
    /\ ringReq[i] > 0
    /\ ringReq' = [ringReq EXCEPT ![i] = @ - 1]
    /\ answered' = answered + 1
    /\ UNCHANGED <<raised, ioapic, vmmIsr, route, failed, miss, issued, pend,
                   beat, up, iopmIsr, tickIopm, done>>

\* IOPM i takes its tick (its own scheduling) and beats its heartbeat.
IopmTick(i) ==
    /\ up[i]
    /\ tickIopm[i]
    /\ tickIopm' = [tickIopm EXCEPT ![i] = FALSE]
    /\ beat' = [beat EXCEPT ![i] = TRUE]
    /\ UNCHANGED <<raised, ioapic, vmmIsr, route, failed, miss, issued, answered,
                   pend, ringReq, up, iopmIsr, done>>

-----------------------------------------------------------------------------
Environment == (\E d \in Dev : DeviceRaise(d)) \/ ClockTick \/ (\E i \in Iopm : IopmStop(i))
VmmStep == VmmAccept \/ VmmHandle \/ VmmRoute \/ (\E i \in Iopm : VmmRequest(i))
           \/ (\E i \in Iopm : VmmDetectFailure(i))
IopmStep(i) == IopmTake(i) \/ IopmHandle(i) \/ IopmAnswer(i) \/ IopmTick(i)

Next == Environment \/ VmmStep \/ (\E i \in Iopm : IopmStep(i))

\* Weak fairness per duty: the clock keeps ticking, the VMM keeps servicing,
\* checking and failing over, every running IOPM keeps working.  Devices,
\* guests (VmmRequest) and failures are not fair: they may stop anytime.
Fairness ==
    /\ WF_vars(ClockTick)
    /\ WF_vars(VmmAccept) /\ WF_vars(VmmHandle) /\ WF_vars(VmmRoute)
    /\ WF_vars(\E i \in Iopm : VmmDetectFailure(i))
    /\ \A i \in Iopm : WF_vars(IopmTake(i)) /\ WF_vars(IopmHandle(i))
                       /\ WF_vars(IopmAnswer(i)) /\ WF_vars(IopmTick(i))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Safety *)

Irqs == {<<d, k>> : d \in Dev, k \in 1 .. MaxIrq}
TypeOK ==
    /\ raised \in [Dev -> 0 .. MaxIrq]
    /\ ioapic \in Seq(Irqs)
    /\ vmmIsr \in Irqs \cup {NoIrq}
    /\ route \in [Dev -> 0 .. NIopm]
    /\ failed \in [Iopm -> BOOLEAN] /\ up \in [Iopm -> BOOLEAN]
    /\ miss \in [Iopm -> 0 .. MissLimit]
    /\ issued \in 0 .. MaxReq /\ answered \in 0 .. MaxReq
    /\ pend \in [Iopm -> Seq(Irqs)]
    /\ ringReq \in [Iopm -> 0 .. MaxReq]
    /\ beat \in [Iopm -> BOOLEAN]
    /\ iopmIsr \in [Iopm -> Irqs \cup {NoIrq}]
    /\ tickIopm \in [Iopm -> BOOLEAN]
    /\ done \in [Dev -> Seq(1 .. MaxIrq)]

\* Device d's handled interrupts never repeat one.
HandledAtMostOnce ==
    \A d \in Dev : \A a, b \in 1 .. Len(done[d]) : a # b => done[d][a] # done[d][b]

\* Per-device order: device d's interrupts are handled in the order raised.
PerDeviceOrder ==
    \A d \in Dev : \A a \in 1 .. Len(done[d]) - 1 : done[d][a] <= done[d][a + 1]

\* Nothing is handled that was not raised.
HandledWereRaised ==
    \A d \in Dev : \A a \in 1 .. Len(done[d]) : done[d][a] \in 1 .. raised[d]

\* No interrupt is lost: each raised, unhandled interrupt is still held by
\* the IOAPIC, the VMM, or an IOPM the VMM uses (pending or being handled).
Held == Range(ioapic) \cup {vmmIsr}
        \cup UNION {Range(pend[i]) \cup {iopmIsr[i]} : i \in Live}
NoLostInterrupt ==
    \A d \in Dev : \A k \in 1 .. raised[d] :
        k \notin Range(done[d]) => <<d, k>> \in Held

\* Nothing is delivered to an IOPM after it is marked failed: no interrupt
\* pending, no ring request outstanding, no device routed to it.
NoDeliveryToFailed ==
    \A i \in Iopm : failed[i] => pend[i] = <<>> /\ ringReq[i] = 0

\* Every device is routed to a live handler: its own kind (the VMM for the
\* VMM's devices, an IOPM for the others), and never a failed IOPM.
RoutedToLive ==
    \A d \in Dev : IF d \in VmmDev THEN route[d] = 0 ELSE route[d] \in Live

\* Load balance: no live IOPM holds more than ceil(devices / live IOPMs).
Balanced ==
    \A i \in Live : Load(route, i) <= CeilDiv(Cardinality(IopmDev), Cardinality(Live))

\* The VMM declares failed only IOPMs that did stop (no false detection).
NoFalseFailure ==
    \A i \in Iopm : failed[i] => ~up[i]

\* Acknowledge after handling: the interrupt an IOPM is handling is still
\* unacknowledged, at the head of its pending list.
AckAfterHandle ==
    \A i \in Live : iopmIsr[i] # NoIrq => pend[i] # <<>> /\ iopmIsr[i] = Head(pend[i])

\* Ring requests are neither lost nor duplicated by a failover.
RequestsConserved ==
    issued = answered + SumOver(ringReq, Iopm)

-----------------------------------------------------------------------------
(* Liveness, under Fairness.  At most MaxCrash < NIopm IOPMs stop, so an    *)
(* IOPM always lives: every interrupt is handled, every request answered.  *)

AllIrqsHandled == \A k \in 1 .. MaxIrq : (NRaised >= k) ~> (NHandled >= k)
AllRequestsAnswered == \A k \in 1 .. MaxReq : (issued >= k) ~> (answered >= k)
\* A stopped IOPM is eventually declared failed (if it is not the last one).
StoppedDetected ==
    \A i \in Iopm : (~up[i] /\ Cardinality(Live) > 1) ~> failed[i]
=============================================================================
