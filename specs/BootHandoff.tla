---------------------------- MODULE BootHandoff ----------------------------
(***************************************************************************)
(* The boot hand-off of the cooperative-model VMM (seed, part 3: A         *)
(* "Hardware division", B 1 "Boot IOPM", B 2 "Physical memory isolation"). *)
(*                                                                         *)
(* The VMM runs on the BSP; each AP runs one IOPM.  For each AP in turn    *)
(* the VMM allocates the IOPM's zone, writes the hand-off block (entry,    *)
(* zone bounds, shared-zone address), lays the IOPM's real-mode code below *)
(* 1 MiB and its protected-mode code in its zone (1 MiB itself is the      *)
(* VMM's), and only then starts the AP with INIT-SIPI-SIPI.  An AP that    *)
(* does not start before the timeout gets the sequence again, MaxTries     *)
(* times in all; then the VMM declares it failed and goes on.              *)
(*                                                                         *)
(* AP states as the Intel SDM gives them: reset; wait-for-SIPI after an    *)
(* INIT (INIT resets an AP in any state); running from a SIPI's vector.  A *)
(* SIPI to an AP that is not waiting for one is ignored.  A running AP     *)
(* executes the real-mode code, switches to protected mode (segment limits *)
(* and page tables cover its zone and the shared zone only, from the       *)
(* hand-off block), enters the IOPM, which sets up and signals ready (a    *)
(* flag in the shared zone and an IPI).  The VMM queues work (ring         *)
(* traffic) only to IOPMs it saw ready.                                    *)
(*                                                                         *)
(* Faulty hardware and peers, by constants: Slow APs miss their first      *)
(* SlowBy SIPIs (still in their INIT when the SIPI arrives), Dead APs      *)
(* never respond, and a Rogue IOPM may try to write outside its zone: the  *)
(* hardware faults it, and the VMM declares it failed.                     *)
(*                                                                         *)
(* Memory is counted in units (stand-ins for page runs): unit 0 is the     *)
(* BIOS area, unit a (1..NumAPs) the real-mode code of AP a, all below     *)
(* 1 MiB; then the VMM zone (at 1 MiB), the shared zone, and the free      *)
(* memory the IOPM zones are allocated from.  A unit holds <<kind, owner>>.*)
(*                                                                         *)
(* VMM CPUs (seed: "VMM controls BSP and the rest of APs"): the first      *)
(* NVmmAps APs run the VMM beside the BSP, the rest an IOPM each.  The     *)
(* boot loop starts a VMM AP the same way (its hand-off block, its         *)
(* real-mode code below 1 MiB, INIT-SIPI-SIPI, the retries), but gives it  *)
(* no zone and copies no code: its protected-mode code is the VMM's own,   *)
(* at 1 MiB, and its hand-off block names the VMM's AP entry and the VMM   *)
(* zone.  It enters the VMM and signals ready with the same flag and IPI;  *)
(* the VMM queues ring work only to IOPMs (a VMM AP runs guests, and owns  *)
(* a channel to each IOPM).  External interrupts still reach the BSP only  *)
(* (IrqRouting).                                                           *)
(***************************************************************************)
EXTENDS Naturals

CONSTANTS
    NumAPs,     \* application processors, one IOPM each
    PmSize,     \* units of an IOPM's protected-mode code (copied a unit a step)
    MaxTries,   \* INIT-SIPI-SIPI sequences per AP before the VMM gives it up
    Slow,       \* APs slow out of INIT...
    SlowBy,     \* ...that miss this many SIPIs
    Dead,       \* APs that never respond to INIT or SIPI
    Rogue,      \* APs whose IOPM may try to write outside its zone
    MaxWork,    \* work items the VMM queues to each ready IOPM
    NVmmAps     \* the first NVmmAps APs run the VMM, not an IOPM

APs == 1 .. NumAPs
VmmAPs == 1 .. NVmmAps                   \* the VMM's CPUs beside the BSP
IopmAPs == APs \ VmmAPs                  \* one IOPM each

ASSUME NumAPs \in Nat \ {0} /\ PmSize \in Nat \ {0} /\ MaxTries \in Nat \ {0}
ASSUME Slow \subseteq APs /\ Dead \subseteq APs /\ Rogue \subseteq APs
ASSUME MaxWork \in Nat
\* A VMM CPU runs the VMM's code, never an IOPM's: it cannot be a rogue IOPM.
ASSUME NVmmAps \in 0 .. NumAPs /\ Rogue \cap VmmAPs = {}
\* A slow AP is slow, not dead: the retries give it enough SIPIs.
ASSUME SlowBy \in Nat /\ SlowBy < 2 * MaxTries

\* Physical memory.
OneMiB     == NumAPs + 1                 \* first unit at or above 1 MiB
VmmSize    == 2
VmmZone    == OneMiB .. OneMiB + VmmSize - 1
SharedAt   == OneMiB + VmmSize           \* the shared zone: one unit
ZoneSize   == PmSize + 1                 \* an IOPM's code, then its data
FirstFree  == SharedAt + 1
MemTop     == FirstFree + NumAPs * ZoneSize
Units      == 0 .. MemTop - 1
RmAt(a)    == a                          \* AP a's real-mode code (its SIPI vector)

\* What a unit holds.
Bios    == <<"bios", 0>>
VmmCode == <<"vmm", 0>>
Shared  == <<"shared", 0>>
Free    == <<"free", 0>>
Rm(a)   == <<"rm", a>>                   \* the IOPM's real-mode code
Pm(a)   == <<"pm", a>>                   \* the IOPM's protected-mode code
Data(a) == <<"data", a>>                 \* written by the IOPM itself

NoZone    == [lo |-> 0, hi |-> 0]
NoHandoff == [entry |-> 0, lo |-> 0, hi |-> 0, shared |-> 0]   \* 0: not written
Running   == {"real", "prot", "setup", "setup-done", "ready", "faulted", "vmm"}
InIopm    == {"setup", "setup-done", "ready", "faulted"}

VARIABLES
    \* VMM (on the BSP)
    vmmPc,      \* where the boot loop is, for AP cur
    cur,        \* the AP being booted (NumAPs + 1: all done)
    freeAt,     \* the zone allocator's next free unit
    copied,     \* units of cur's protected-mode code copied so far
    zone,       \* AP -> [lo, hi): its zone, as the VMM allocated it
    tries,      \* AP -> INIT-SIPI-SIPI sequences sent
    sipis,      \* AP -> SIPIs sent (history)
    status,     \* AP -> the VMM's view: "booting", "ready", "failed"
    work,       \* AP -> work items queued to its IOPM
    \* memory written by both sides
    mem,        \* unit -> what it holds
    handoff,    \* AP -> its hand-off block
    readyFlag,  \* AP -> the ready flag in the shared zone
    ipi,        \* AP -> a ready IPI pending at the BSP
    \* the APs
    ap,         \* AP -> CPU state / what it runs
    lateBy,     \* AP -> SIPIs it will still miss (slow out of INIT)
    starts      \* AP -> times it started running the real-mode code (history)

vars == <<vmmPc, cur, freeAt, copied, zone, tries, sipis, status, work, mem,
          handoff, readyFlag, ipi, ap, lateBy, starts>>

ZoneOf(a)  == zone[a].lo .. zone[a].hi - 1
\* What AP a's segment limits and page tables allow it to write.
Allowed(a) == (handoff[a].lo .. handoff[a].hi - 1) \cup {handoff[a].shared}
Started(a) == ap[a] \in Running
RmLaid(a)  == mem[RmAt(a)] = Rm(a)
\* A VMM AP's protected-mode code is the VMM's, laid out from the start.
PmLaid(a)  == IF a \in VmmAPs THEN \A u \in VmmZone : mem[u] = VmmCode
              ELSE zone[a] # NoZone /\ \A k \in 0 .. PmSize - 1 : mem[zone[a].lo + k] = Pm(a)
\* What the hand-off block of AP a is to hold: an IOPM's entry and bounds are
\* its zone; a VMM AP's are the VMM's AP entry (at 1 MiB) and the VMM zone.
HandoffOf(a) ==
    IF a \in VmmAPs
    THEN [entry |-> OneMiB, lo |-> OneMiB, hi |-> OneMiB + VmmSize, shared |-> SharedAt]
    ELSE [entry |-> zone[a].lo, lo |-> zone[a].lo, hi |-> zone[a].hi, shared |-> SharedAt]
HandoffComplete(a) == handoff[a] = HandoffOf(a)
\* Where the boot loop starts with AP a: an IOPM needs a zone, a VMM AP none.
FirstStep(a) == IF a \in VmmAPs THEN "handoff" ELSE "alloc"

-----------------------------------------------------------------------------
Init ==
    /\ vmmPc = FirstStep(1) /\ cur = 1 /\ freeAt = FirstFree /\ copied = 0
    /\ zone = [a \in APs |-> NoZone]
    /\ tries = [a \in APs |-> 0] /\ sipis = [a \in APs |-> 0]
    /\ status = [a \in APs |-> "booting"] /\ work = [a \in APs |-> 0]
    /\ mem = [u \in Units |-> IF u = 0 THEN Bios
                              ELSE IF u \in VmmZone THEN VmmCode
                              ELSE IF u = SharedAt THEN Shared
                              ELSE Free]
    /\ handoff = [a \in APs |-> NoHandoff]
    /\ readyFlag = [a \in APs |-> FALSE] /\ ipi = [a \in APs |-> FALSE]
    /\ ap = [a \in APs |-> "reset"]
    /\ lateBy = [a \in APs |-> IF a \in Slow THEN SlowBy ELSE 0]
    /\ starts = [a \in APs |-> 0]

-----------------------------------------------------------------------------
(* VMM: the boot loop, one AP at a time *)

\* The boot loop moves on to the next AP, or ends.
NextAp == cur' = cur + 1 /\ vmmPc' = IF cur = NumAPs THEN "done" ELSE FirstStep(cur + 1)

\* The VMM allocates the IOPM's zone from free memory (a bump allocator).
VmmAllocZone ==
    /\ vmmPc = "alloc"
    /\ freeAt + ZoneSize <= MemTop
    /\ zone' = [zone EXCEPT ![cur] = [lo |-> freeAt, hi |-> freeAt + ZoneSize]]
    /\ freeAt' = freeAt + ZoneSize
    /\ vmmPc' = "handoff"
    /\ UNCHANGED <<cur, copied, tries, sipis, status, work, mem, handoff,
                   readyFlag, ipi, ap, lateBy, starts>>

\* The VMM writes the next field of the hand-off block: the protected-mode
\* entry, then the zone bounds, then the shared-zone address (HandoffOf).
VmmWriteHandoff ==
    /\ vmmPc = "handoff"
    /\ LET h == handoff[cur]
           w == HandoffOf(cur) IN
       /\ handoff' = [handoff EXCEPT ![cur] =
              IF h.entry = 0 THEN [h EXCEPT !.entry = w.entry]
              ELSE IF h.lo = 0 THEN [h EXCEPT !.lo = w.lo, !.hi = w.hi]
              ELSE [h EXCEPT !.shared = SharedAt]]
       /\ vmmPc' = IF h.entry # 0 /\ h.lo # 0 THEN "rm" ELSE "handoff"
    /\ UNCHANGED <<cur, freeAt, copied, zone, tries, sipis, status, work, mem,
                   readyFlag, ipi, ap, lateBy, starts>>

\* The VMM copies the AP's real-mode code below 1 MiB; a VMM AP's protected-
\* mode code is the VMM's own, so it is started next.
VmmCopyRealMode ==
    /\ vmmPc = "rm"
    /\ mem' = [mem EXCEPT ![RmAt(cur)] = Rm(cur)]
    /\ vmmPc' = IF cur \in VmmAPs THEN "init" ELSE "pm"
    /\ UNCHANGED <<cur, freeAt, copied, zone, tries, sipis, status, work,
                   handoff, readyFlag, ipi, ap, lateBy, starts>>

\* The VMM copies the next unit of the protected-mode code into the IOPM's
\* zone (not to 1 MiB, the traditional place: the VMM is there).
VmmCopyProtMode ==
    /\ vmmPc = "pm"
    /\ mem' = [mem EXCEPT ![zone[cur].lo + copied] = Pm(cur)]
    /\ copied' = IF copied + 1 = PmSize THEN 0 ELSE copied + 1
    /\ vmmPc' = IF copied + 1 = PmSize THEN "init" ELSE "pm"
    /\ UNCHANGED <<cur, freeAt, zone, tries, sipis, status, work, handoff,
                   readyFlag, ipi, ap, lateBy, starts>>

\* The VMM sends INIT: the AP resets and waits for a SIPI (a dead AP does
\* not respond).
VmmSendInit ==
    /\ vmmPc = "init"
    /\ tries' = [tries EXCEPT ![cur] = @ + 1]
    /\ ap' = IF cur \in Dead THEN ap ELSE [ap EXCEPT ![cur] = "wait-sipi"]
    /\ vmmPc' = "sipi1"
    /\ UNCHANGED <<cur, freeAt, copied, zone, sipis, status, work, mem,
                   handoff, readyFlag, ipi, lateBy, starts>>

\* The VMM sends a SIPI (the first, then the second of the sequence).  An
\* AP waiting for it starts at the real-mode code, unless it is still in
\* its INIT (slow): then the SIPI is lost.  Any other AP ignores it.
VmmSendSipi ==
    /\ vmmPc \in {"sipi1", "sipi2"}
    /\ sipis' = [sipis EXCEPT ![cur] = @ + 1]
    /\ IF ap[cur] = "wait-sipi" /\ lateBy[cur] > 0
       THEN /\ lateBy' = [lateBy EXCEPT ![cur] = @ - 1]
            /\ UNCHANGED <<ap, starts>>
       ELSE IF ap[cur] = "wait-sipi"
       THEN /\ ap' = [ap EXCEPT ![cur] = "real"]
            /\ starts' = [starts EXCEPT ![cur] = @ + 1]
            /\ UNCHANGED lateBy
       ELSE UNCHANGED <<ap, lateBy, starts>>
    /\ vmmPc' = IF vmmPc = "sipi1" THEN "sipi2" ELSE "wait"
    /\ UNCHANGED <<cur, freeAt, copied, zone, tries, status, work, mem,
                   handoff, readyFlag, ipi>>

\* The AP started (its real-mode code checked in): on to the next AP.
VmmSeeStarted ==
    /\ vmmPc = "wait"
    /\ Started(cur)
    /\ NextAp
    /\ UNCHANGED <<freeAt, copied, zone, tries, sipis, status, work, mem,
                   handoff, readyFlag, ipi, ap, lateBy, starts>>

\* Timeout, the AP did not start: send INIT-SIPI-SIPI again.
VmmRetry ==
    /\ vmmPc = "wait"
    /\ ~Started(cur)
    /\ tries[cur] < MaxTries
    /\ vmmPc' = "init"
    /\ UNCHANGED <<cur, freeAt, copied, zone, tries, sipis, status, work, mem,
                   handoff, readyFlag, ipi, ap, lateBy, starts>>

\* Timeout after the last try: the AP is declared failed; on to the next.
VmmGiveUp ==
    /\ vmmPc = "wait"
    /\ ~Started(cur)
    /\ tries[cur] = MaxTries
    /\ status' = [status EXCEPT ![cur] = "failed"]
    /\ NextAp
    /\ UNCHANGED <<freeAt, copied, zone, tries, sipis, work, mem, handoff,
                   readyFlag, ipi, ap, lateBy, starts>>

-----------------------------------------------------------------------------
(* VMM: serving the IOPMs (any time: interrupt handlers and the main loop) *)

\* The BSP takes a ready IPI and reads the IOPM's ready flag.
VmmSeeReady(a) ==
    /\ ipi[a]
    /\ ipi' = [ipi EXCEPT ![a] = FALSE]
    /\ status' = IF readyFlag[a] /\ status[a] = "booting"
                 THEN [status EXCEPT ![a] = "ready"] ELSE status
    /\ UNCHANGED <<vmmPc, cur, freeAt, copied, zone, tries, sipis, work, mem,
                   handoff, readyFlag, ap, lateBy, starts>>

\* An IOPM faulted (its boot stub's fault handler reports it): declared failed.
VmmSeeFault(a) ==
    /\ ap[a] = "faulted"
    /\ status[a] = "booting"
    /\ status' = [status EXCEPT ![a] = "failed"]
    /\ UNCHANGED <<vmmPc, cur, freeAt, copied, zone, tries, sipis, work, mem,
                   handoff, readyFlag, ipi, ap, lateBy, starts>>

\* The VMM queues work (a request on the ring) to an IOPM it saw ready.
VmmQueueWork(a) ==
    /\ a \in IopmAPs
    /\ status[a] = "ready"
    /\ work[a] < MaxWork
    /\ work' = [work EXCEPT ![a] = @ + 1]
    /\ UNCHANGED <<vmmPc, cur, freeAt, copied, zone, tries, sipis, status, mem,
                   handoff, readyFlag, ipi, ap, lateBy, starts>>

-----------------------------------------------------------------------------
(* The APs and their IOPMs *)

\* The real-mode code reads the hand-off block, loads a GDT whose segments
\* cover the zone, and switches to protected mode with paging.
ApSwitchToProtected(a) ==
    /\ ap[a] = "real"
    /\ ap' = [ap EXCEPT ![a] = "prot"]
    /\ UNCHANGED <<vmmPc, cur, freeAt, copied, zone, tries, sipis, status, work,
                   mem, handoff, readyFlag, ipi, lateBy, starts>>

\* The AP jumps to the protected-mode entry of the hand-off block: the IOPM.
ApEnterIopm(a) ==
    /\ a \in IopmAPs
    /\ ap[a] = "prot"
    /\ ap' = [ap EXCEPT ![a] = "setup"]
    /\ UNCHANGED <<vmmPc, cur, freeAt, copied, zone, tries, sipis, status, work,
                   mem, handoff, readyFlag, ipi, lateBy, starts>>

\* A VMM AP jumps to its entry, the VMM's, which takes its stack and per-CPU
\* data in the VMM zone (the BSP's memory: nothing to lay out), and signals
\* ready with the same flag and IPI as an IOPM.
ApEnterVmm(a) ==
    /\ a \in VmmAPs
    /\ ap[a] = "prot"
    /\ ap' = [ap EXCEPT ![a] = "vmm"]
    /\ readyFlag' = [readyFlag EXCEPT ![a] = TRUE]
    /\ ipi' = [ipi EXCEPT ![a] = TRUE]
    /\ UNCHANGED <<vmmPc, cur, freeAt, copied, zone, tries, sipis, status, work,
                   mem, handoff, lateBy, starts>>

\* The IOPM sets up: its memory manager's data in its zone (the unit after
\* its code), its ring area in the shared zone.
IopmSetUp(a) ==
    /\ ap[a] = "setup"
    /\ mem' = [mem EXCEPT ![handoff[a].hi - 1] = Data(a)]
    /\ ap' = [ap EXCEPT ![a] = "setup-done"]
    /\ UNCHANGED <<vmmPc, cur, freeAt, copied, zone, tries, sipis, status, work,
                   handoff, readyFlag, ipi, lateBy, starts>>

\* Set up: the IOPM sets its ready flag in the shared zone and sends the IPI.
IopmSignalReady(a) ==
    /\ ap[a] = "setup-done"
    /\ readyFlag' = [readyFlag EXCEPT ![a] = TRUE]
    /\ ipi' = [ipi EXCEPT ![a] = TRUE]
    /\ ap' = [ap EXCEPT ![a] = "ready"]
    /\ UNCHANGED <<vmmPc, cur, freeAt, copied, zone, tries, sipis, status, work,
                   mem, handoff, lateBy, starts>>

\* Fault: a rogue IOPM, setting up, writes unit u outside what its segment
\* limits and page tables allow; the hardware faults it (the write does not
\* happen) and the AP stops.
IopmStrayWrite(a, u) ==
    /\ a \in Rogue
    /\ ap[a] \in {"setup", "setup-done"}
    /\ u \notin Allowed(a)
    /\ ap' = [ap EXCEPT ![a] = "faulted"]
    /\ UNCHANGED <<vmmPc, cur, freeAt, copied, zone, tries, sipis, status, work,
                   mem, handoff, readyFlag, ipi, lateBy, starts>>

IopmStray(a) == \E u \in Units : IopmStrayWrite(a, u)

-----------------------------------------------------------------------------
\* Every AP booted or given up, every ready IOPM has its work: the behaviour
\* may stutter here without it being a deadlock.
Done ==
    /\ vmmPc = "done"
    /\ \A a \in APs : \/ status[a] = "failed"
                      \/ status[a] = "ready" /\ (a \in VmmAPs \/ work[a] = MaxWork)

Finished == Done /\ UNCHANGED vars

VmmBoot == VmmAllocZone \/ VmmWriteHandoff \/ VmmCopyRealMode \/ VmmCopyProtMode
           \/ VmmSendInit \/ VmmSendSipi \/ VmmSeeStarted \/ VmmRetry \/ VmmGiveUp
VmmServe == \E a \in APs : VmmSeeReady(a) \/ VmmSeeFault(a) \/ VmmQueueWork(a)
VmmStep == VmmBoot \/ VmmServe
ApStep(a) == ApSwitchToProtected(a) \/ ApEnterIopm(a) \/ IopmSetUp(a)
             \/ IopmSignalReady(a) \/ ApEnterVmm(a)

Next ==
    \/ VmmStep
    \/ \E a \in APs : ApStep(a) \/ IopmStray(a)
    \/ Finished

\* The VMM and every AP are weakly fair; the rogue's stray write is not.
Fairness == WF_vars(VmmStep) /\ \A a \in APs : WF_vars(ApStep(a))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Safety *)

Zone == [lo : Nat, hi : Nat]
Content == {Bios, VmmCode, Shared, Free} \cup {<<k, a>> : k \in {"rm", "pm", "data"}, a \in APs}

TypeOK ==
    /\ vmmPc \in {"alloc", "handoff", "rm", "pm", "init", "sipi1", "sipi2", "wait", "done"}
    /\ cur \in 1 .. NumAPs + 1
    /\ freeAt \in FirstFree .. MemTop /\ copied \in 0 .. PmSize - 1
    /\ zone \in [APs -> Zone]
    /\ tries \in [APs -> 0 .. MaxTries] /\ sipis \in [APs -> 0 .. 2 * MaxTries]
    /\ status \in [APs -> {"booting", "ready", "failed"}]
    /\ work \in [APs -> 0 .. MaxWork]
    /\ mem \in [Units -> Content]
    /\ handoff \in [APs -> [entry : Nat, lo : Nat, hi : Nat, shared : Nat]]
    /\ readyFlag \in [APs -> BOOLEAN] /\ ipi \in [APs -> BOOLEAN]
    /\ ap \in [APs -> {"reset", "wait-sipi"} \cup Running]
    /\ lateBy \in [APs -> 0 .. SlowBy] /\ starts \in [APs -> Nat]

\* The zones never overlap one another, the VMM zone, the shared zone or
\* memory below 1 MiB, and lie in memory.
ZonesDisjoint ==
    /\ \A a \in APs : zone[a] # NoZone =>
          /\ OneMiB <= zone[a].lo /\ zone[a].lo < zone[a].hi /\ zone[a].hi <= MemTop
          /\ ZoneOf(a) \cap (VmmZone \cup {SharedAt}) = {}
    /\ \A a, b \in APs : a # b => ZoneOf(a) \cap ZoneOf(b) = {}

\* Nothing is ever laid over the VMM.
VmmZoneIntact == \A u \in VmmZone : mem[u] = VmmCode

\* The hand-off block is complete (and right) before the AP's first SIPI.
HandoffBeforeSipi == \A a \in APs : sipis[a] > 0 => HandoffComplete(a)

\* Both parts of the IOPM's code are fully laid out before the first SIPI.
LaidBeforeStart == \A a \in APs : sipis[a] > 0 => RmLaid(a) /\ PmLaid(a)

\* An AP never executes code that is not fully laid out.
NeverRunsUnlaidCode ==
    \A a \in APs : /\ ap[a] \in Running => RmLaid(a)
                   /\ ap[a] \in InIopm \cup {"vmm"} => PmLaid(a)

\* What an IOPM wrote lies in its own zone: it never wrote the VMM zone or
\* another IOPM's zone (the attempt faulted instead).
IopmWritesConfined == \A u \in Units, a \in APs : mem[u] = Data(a) => u \in ZoneOf(a)

\* One IOPM instance per AP: a second SIPI does not restart it.
OneInstancePerAp == \A a \in APs : starts[a] <= 1

\* The VMM never queues work to an IOPM that has not finished its set-up.
NoWorkBeforeReady == \A a \in APs : work[a] > 0 => ap[a] = "ready"

\* Each AP keeps its role: a VMM AP never enters an IOPM, gets no zone and no
\* ring work; an IOPM's AP never enters the VMM.
EachApItsRole ==
    /\ \A a \in VmmAPs : ap[a] \notin InIopm /\ zone[a] = NoZone /\ work[a] = 0
    /\ \A a \in IopmAPs : ap[a] # "vmm"

\* The VMM gives up only an AP that is not running an IOPM (no zombie IOPM
\* in a zone the VMM takes back).
FailedIsDown == \A a \in APs : status[a] = "failed" => ap[a] \in {"reset", "wait-sipi", "faulted"}

-----------------------------------------------------------------------------
(* Liveness, under Fairness *)

\* Every AP ends ready or declared failed.
EveryApSettles == \A a \in APs : <>[](status[a] \in {"ready", "failed"})

\* Every AP that is neither dead nor rogue ends ready, slow or not.
HealthyApsReady == \A a \in APs \ (Dead \cup Rogue) : <>(status[a] = "ready")
=============================================================================
