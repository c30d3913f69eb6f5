------------------------------ MODULE MgmtRing ------------------------------
(***************************************************************************)
(* The management ring of a channel (reference-vmm/ring/mgmt_ring.c): the  *)
(* other direction of the cooperative-model VMM's communication (seed,     *)
(* part 3 B 3): an IOPM's user interface, the console, sends the VMM       *)
(* commands (create, start, stop, destroy a VM) and the VMM answers each.  *)
(* GuestIo abstracts this ring as a queue each way; here is the ring.      *)
(*                                                                         *)
(* It is CoopRing with the roles swapped: the console is the requester     *)
(* (CoopRing's VMM), the VMM the responder (CoopRing's IOPM), with the     *)
(* same areas, each written by one side only:                              *)
(*   management IOPM area: cmdProd, ansCons, ansEvent  (only the console)  *)
(*   management VMM area : ansProd, cmdCons, cmdEvent  (only the VMM)      *)
(*   commands: cmdRing, N slots, console -> VMM; answers: ansRing, VMM ->  *)
(*   console.                                                              *)
(* and the same steps: write, publish, decide the IPI after a full barrier *)
(* (the peer may act between), send it; see idle, arm the event index,     *)
(* final check, sleep; coalescing IPI pending bits; spurious wakes.  What  *)
(* differs is trust: the VMM is the privileged side and believes nothing   *)
(* the console writes.  It bounds the console's command index (more than   *)
(* N ahead: VmmDeclareConsoleBroken, and it gives the ring up), and with   *)
(* PeerFaults a hostile console publishes such an index.                   *)
(***************************************************************************)
EXTENDS Naturals, Sequences

CONSTANTS
    N,          \* slots in each ring
    IdxMod,     \* free-running indexes wrap here (stands for 2^32)
    MaxCmd,     \* commands the console issues in one behaviour
    PeerFaults  \* may the console publish a bogus command index?

ASSUME N \in Nat \ {0} /\ IdxMod \in Nat /\ IdxMod >= 2 * N /\ IdxMod % N = 0
ASSUME MaxCmd \in Nat /\ PeerFaults \in BOOLEAN

VARIABLES
    \* management IOPM area (the console writes it)
    cmdProd, ansCons, ansEvent,
    \* management VMM area (the VMM writes it)
    ansProd, cmdCons, cmdEvent,
    \* slots: commands (console-written), answers (VMM-written)
    cmdRing, ansRing,
    \* the console's private state
    cmdPvt,        \* commands written, published or not (private producer index)
    nextId,        \* id of the next command the console issues
    ansGot,        \* ids of the answers the console took, in order (history)
    conPc,         \* "run", "notify" (published, IPI decision pending),
                   \* "ipi" (decided to notify, IPI not yet sent),
                   \* "idle" (saw nothing to do, event index not yet set),
                   \* "check" (final check pending), "sleep"
    cmdNotifyFrom, \* in "notify": cmdProd before the publish (else 0)
    \* the VMM's private state
    consoleTrusted,\* FALSE once the VMM declared the console broken
    ansPvt,        \* answers written, published or not
    cmdGot,        \* ids of the commands the VMM took, in order (history)
    pending,       \* commands taken, not yet carried out and answered, in order
    vmmPc,         \* "run", "notify", "ipi", "idle", "check", "sleep"
    ansNotifyFrom, \* in "notify": ansProd before the publish (else 0)
    \* notification: IPI pending bits
    ipiConsole, ipiVmm

consoleArea  == <<cmdProd, ansCons, ansEvent>>
vmmArea == <<ansProd, cmdCons, cmdEvent>>
vars == <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent, cmdRing,
          ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted, ansPvt,
          cmdGot, pending, vmmPc, ipiConsole, ipiVmm, cmdNotifyFrom,
          ansNotifyFrom>>

Idx == 0 .. IdxMod - 1
Ids == 0 .. MaxCmd            \* 0 marks a slot never written
Inc(i) == (i + 1) % IdxMod
\* Packets between consumer index c and producer index p (modular).
Dist(c, p) == (p + IdxMod - c) % IdxMod
Slot(i) == i % N
\* Notify iff the consumer's event index lies in (old, new], modularly.
NeedNotify(old, new, event) == Dist(event, new) < Dist(old, new)
Range(s) == {s[i] : i \in 1 .. Len(s)}
Prefix(s, k) == [i \in 1 .. k |-> s[i]]
\* The ids 1..k in order: what the console has issued when nextId = k + 1.
Issued(k) == [i \in 1 .. k |-> i]

-----------------------------------------------------------------------------
Init ==
    /\ cmdProd = 0 /\ ansCons = 0 /\ ansEvent = 1
    /\ ansProd = 0 /\ cmdCons = 0 /\ cmdEvent = 1
    /\ cmdRing = [s \in 0 .. N - 1 |-> 0]
    /\ ansRing = [s \in 0 .. N - 1 |-> 0]
    /\ cmdPvt = 0 /\ nextId = 1 /\ ansGot = <<>>
    /\ conPc = "run" /\ consoleTrusted = TRUE
    /\ ansPvt = 0 /\ cmdGot = <<>> /\ pending = <<>> /\ vmmPc = "run"
    /\ ipiConsole = FALSE /\ ipiVmm = FALSE
    /\ cmdNotifyFrom = 0 /\ ansNotifyFrom = 0

-----------------------------------------------------------------------------
(* Console actions (an IOPM's user interface) *)

\* The console writes its next command into the free slot at its private
\* index.  The ring is full when N commands are written and not yet taken.
IopmWriteCommand ==
    /\ conPc = "run"
    /\ nextId <= MaxCmd
    /\ Dist(cmdCons, cmdPvt) < N
    /\ cmdRing' = [cmdRing EXCEPT ![Slot(cmdPvt)] = nextId]
    /\ cmdPvt' = Inc(cmdPvt)
    /\ nextId' = nextId + 1
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   ansRing, ansGot, conPc, consoleTrusted, ansPvt, cmdGot, pending,
                   vmmPc, ipiConsole, ipiVmm, cmdNotifyFrom, ansNotifyFrom>>

\* The console publishes what it wrote (after a write barrier), keeping the
\* old producer index for the notify decision that follows.
IopmPublishCommands ==
    /\ conPc = "run"
    /\ cmdProd # cmdPvt
    /\ cmdProd' = cmdPvt
    /\ cmdNotifyFrom' = cmdProd
    /\ conPc' = "notify"
    /\ UNCHANGED <<ansCons, ansEvent, ansProd, cmdCons, cmdEvent, cmdRing,
                   ansRing, cmdPvt, nextId, ansGot, consoleTrusted, ansPvt,
                   cmdGot, pending, vmmPc, ipiConsole, ipiVmm, ansNotifyFrom>>

\* After a full barrier, the console reads the VMM's event index and decides
\* to send the IPI iff it lies in (old, new] of the publish.  A separate
\* step: the VMM may act between the store of the index and this load.
IopmNotifyVmm ==
    /\ conPc = "notify"
    /\ conPc' = IF NeedNotify(cmdNotifyFrom, cmdProd, cmdEvent)
                THEN "ipi" ELSE "run"
    /\ cmdNotifyFrom' = 0
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, consoleTrusted,
                   ansPvt, cmdGot, pending, vmmPc, ipiConsole, ipiVmm,
                   ansNotifyFrom>>

\* The console sends the IPI it decided on.  A separate step: the VMM may
\* take an earlier IPI, and run, between the decision and the send.
IopmSendIpi ==
    /\ conPc = "ipi"
    /\ ipiVmm' = TRUE
    /\ conPc' = "run"
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, consoleTrusted,
                   ansPvt, cmdGot, pending, vmmPc, ipiConsole, cmdNotifyFrom,
                   ansNotifyFrom>>

\* The console takes one published answer.  (The console trusts the VMM,
\* the privileged side; it still takes nothing past N ahead, as the code.)
IopmTakeAnswer ==
    /\ conPc = "run"
    /\ ansCons # ansProd
    /\ Dist(ansCons, ansProd) <= N
    /\ ansGot' = Append(ansGot, ansRing[Slot(ansCons)])
    /\ ansCons' = Inc(ansCons)
    /\ UNCHANGED <<cmdProd, ansEvent, ansProd, cmdCons, cmdEvent, cmdRing,
                   ansRing, cmdPvt, nextId, conPc, consoleTrusted, ansPvt, cmdGot,
                   pending, vmmPc, ipiConsole, ipiVmm, cmdNotifyFrom,
                   ansNotifyFrom>>

\* The console's command index is more than N ahead: the console is broken
\* or hostile.  The VMM gives this ring up (it takes no command again).
VmmDeclareConsoleBroken ==
    /\ vmmPc = "run" /\ consoleTrusted
    /\ Dist(cmdCons, cmdProd) > N
    /\ consoleTrusted' = FALSE
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, conPc, ansPvt,
                   cmdGot, pending, vmmPc, ipiConsole, ipiVmm, cmdNotifyFrom,
                   ansNotifyFrom>>

\* No answer to take, everything written is published, and a command is
\* outstanding: the console is going to sleep (it loaded the VMM's answer
\* index and saw nothing new).  The event index is set by the next step.
IopmSeeIdle ==
    /\ conPc = "run"
    /\ ansProd = ansCons
    /\ cmdProd = cmdPvt
    /\ Len(ansGot) < nextId - 1
    /\ conPc' = "idle"
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, consoleTrusted,
                   ansPvt, cmdGot, pending, vmmPc, ipiConsole, ipiVmm,
                   cmdNotifyFrom, ansNotifyFrom>>

\* The console asks to be notified at the next answer.  A separate step: the
\* VMM may publish (and decide its IPI on the old event index) between the
\* load of IopmSeeIdle and this store; the final check catches that.
IopmPrepareSleep ==
    /\ conPc = "idle"
    /\ ansEvent' = Inc(ansCons)
    /\ conPc' = "check"
    /\ UNCHANGED <<cmdProd, ansCons, ansProd, cmdCons, cmdEvent, cmdRing,
                   ansRing, cmdPvt, nextId, ansGot, consoleTrusted, ansPvt, cmdGot,
                   pending, vmmPc, ipiConsole, ipiVmm, cmdNotifyFrom,
                   ansNotifyFrom>>

\* Final check, after a full barrier: sleep only if still no answer.
IopmFinalCheck ==
    /\ conPc = "check"
    /\ conPc' = IF ansProd = ansCons THEN "sleep" ELSE "run"
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, consoleTrusted,
                   ansPvt, cmdGot, pending, vmmPc, ipiConsole, ipiVmm,
                   cmdNotifyFrom, ansNotifyFrom>>

\* The IPI handler on the console's AP: takes the pending IPI, wakes a
\* sleeping console (one running, notifying, sending, idle or checking stays
\* where it is).
IopmWake ==
    /\ ipiConsole
    /\ ipiConsole' = FALSE
    /\ conPc' = IF conPc = "sleep" THEN "run" ELSE conPc
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, consoleTrusted,
                   ansPvt, cmdGot, pending, vmmPc, ipiVmm, cmdNotifyFrom,
                   ansNotifyFrom>>

\* A wake with no IPI (another interrupt, another ring's work): allowed,
\* never relied on.
IopmSpuriousWake ==
    /\ conPc = "sleep"
    /\ conPc' = "run"
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, consoleTrusted,
                   ansPvt, cmdGot, pending, vmmPc, ipiConsole, ipiVmm,
                   cmdNotifyFrom, ansNotifyFrom>>

-----------------------------------------------------------------------------
(* VMM actions (the BSP) *)

\* The VMM takes one published command (copies it out of its slot once),
\* after checking that the console's index is no more than N ahead: the VMM
\* trusts nothing the console writes.
VmmTakeCommand ==
    /\ vmmPc = "run" /\ consoleTrusted
    /\ cmdCons # cmdProd
    /\ Dist(cmdCons, cmdProd) <= N
    /\ cmdGot' = Append(cmdGot, cmdRing[Slot(cmdCons)])
    /\ pending' = Append(pending, cmdRing[Slot(cmdCons)])
    /\ cmdCons' = Inc(cmdCons)
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdEvent, cmdRing,
                   ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted, ansPvt,
                   vmmPc, ipiConsole, ipiVmm, cmdNotifyFrom, ansNotifyFrom>>

\* The VMM has carried out the oldest command taken and writes its answer
\* into the free answer slot at its private index.
VmmWriteAnswer ==
    /\ vmmPc = "run" /\ consoleTrusted
    /\ pending # <<>>
    /\ Dist(ansCons, ansPvt) < N
    /\ ansRing' = [ansRing EXCEPT ![Slot(ansPvt)] = Head(pending)]
    /\ ansPvt' = Inc(ansPvt)
    /\ pending' = Tail(pending)
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted, cmdGot,
                   vmmPc, ipiConsole, ipiVmm, cmdNotifyFrom, ansNotifyFrom>>

\* The VMM publishes its answers, keeping the old producer index.
VmmPublishAnswers ==
    /\ vmmPc = "run" /\ consoleTrusted
    /\ ansProd # ansPvt
    /\ ansProd' = ansPvt
    /\ ansNotifyFrom' = ansProd
    /\ vmmPc' = "notify"
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, cmdCons, cmdEvent, cmdRing,
                   ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted,
                   ansPvt, cmdGot, pending, ipiConsole, ipiVmm, cmdNotifyFrom>>

\* After a full barrier, the VMM reads the console's event index and decides
\* to notify it iff it was passed (a separate step, as on the console side).
VmmNotifyIopm ==
    /\ vmmPc = "notify"
    /\ vmmPc' = IF NeedNotify(ansNotifyFrom, ansProd, ansEvent)
                 THEN "ipi" ELSE "run"
    /\ ansNotifyFrom' = 0
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted,
                   ansPvt, cmdGot, pending, ipiConsole, ipiVmm, cmdNotifyFrom>>

\* The VMM sends the IPI it decided on (a separate step, as on the console side).
VmmSendIpi ==
    /\ vmmPc = "ipi"
    /\ ipiConsole' = TRUE
    /\ vmmPc' = "run"
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted,
                   ansPvt, cmdGot, pending, ipiVmm, cmdNotifyFrom,
                   ansNotifyFrom>>

\* Fault: a broken or hostile console publishes command index p, more than N
\* ahead of the VMM's consumer index.
IopmPublishBogusTo(p) ==
    /\ PeerFaults
    /\ Dist(cmdCons, p) > N
    /\ cmdProd' = p
    /\ UNCHANGED <<ansProd, ansCons, ansEvent, cmdCons, cmdEvent, cmdRing,
                   ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted, ansPvt,
                   cmdGot, pending, vmmPc, ipiConsole, ipiVmm, cmdNotifyFrom,
                   ansNotifyFrom>>

IopmPublishBogus == \E p \in Idx : IopmPublishBogusTo(p)

\* No command to take, nothing left to answer or publish: the VMM is going
\* to sleep (it loaded the console's command index and saw nothing new).
VmmSeeIdle ==
    /\ vmmPc = "run" /\ consoleTrusted
    /\ cmdProd = cmdCons
    /\ pending = <<>>
    /\ ansProd = ansPvt
    /\ vmmPc' = "idle"
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted,
                   ansPvt, cmdGot, pending, ipiConsole, ipiVmm, cmdNotifyFrom,
                   ansNotifyFrom>>

\* The VMM asks to be notified at the next command (a separate step, as on
\* the console side: a command published in between sees the old event
\* index and is caught by the final check, which reads the index again).
VmmPrepareSleep ==
    /\ vmmPc = "idle"
    /\ cmdEvent' = Inc(cmdCons)
    /\ vmmPc' = "check"
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdRing,
                   ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted, ansPvt,
                   cmdGot, pending, ipiConsole, ipiVmm, cmdNotifyFrom,
                   ansNotifyFrom>>

\* Final check, after a full barrier: sleep only if still no command.
VmmFinalCheck ==
    /\ vmmPc = "check"
    /\ vmmPc' = IF cmdProd = cmdCons THEN "sleep" ELSE "run"
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted,
                   ansPvt, cmdGot, pending, ipiConsole, ipiVmm, cmdNotifyFrom,
                   ansNotifyFrom>>

\* The IPI handler on the BSP.
VmmWake ==
    /\ ipiVmm
    /\ ipiVmm' = FALSE
    /\ vmmPc' = IF vmmPc = "sleep" THEN "run" ELSE vmmPc
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted,
                   ansPvt, cmdGot, pending, ipiConsole, cmdNotifyFrom,
                   ansNotifyFrom>>

VmmSpuriousWake ==
    /\ vmmPc = "sleep"
    /\ vmmPc' = "run"
    /\ UNCHANGED <<cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent,
                   cmdRing, ansRing, cmdPvt, nextId, ansGot, conPc, consoleTrusted,
                   ansPvt, cmdGot, pending, ipiConsole, ipiVmm, cmdNotifyFrom,
                   ansNotifyFrom>>

-----------------------------------------------------------------------------
\* All commands answered and their answers taken (or the console was given
\* up): the behaviour may stutter here without it being a deadlock.
Done ==
    \/ Len(ansGot) = MaxCmd /\ nextId > MaxCmd
    \/ ~consoleTrusted

Finished == Done /\ UNCHANGED vars

ConsoleStep == IopmWriteCommand \/ IopmPublishCommands \/ IopmNotifyVmm
               \/ IopmSendIpi \/ IopmTakeAnswer \/ IopmSeeIdle \/ IopmPrepareSleep
               \/ IopmFinalCheck \/ IopmWake
VmmStep == VmmTakeCommand \/ VmmDeclareConsoleBroken \/ VmmWriteAnswer
           \/ VmmPublishAnswers \/ VmmNotifyIopm \/ VmmSendIpi \/ VmmSeeIdle
           \/ VmmPrepareSleep \/ VmmFinalCheck \/ VmmWake

Next ==
    \/ ConsoleStep \/ IopmSpuriousWake \/ IopmPublishBogus
    \/ VmmStep \/ VmmSpuriousWake
    \/ Finished

\* Each side is weakly fair as a whole; spurious wakes and faults are not.
Fairness == WF_vars(ConsoleStep) /\ WF_vars(VmmStep)

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Safety *)

TypeOK ==
    /\ cmdProd \in Idx /\ ansCons \in Idx /\ ansEvent \in Idx
    /\ ansProd \in Idx /\ cmdCons \in Idx /\ cmdEvent \in Idx
    /\ cmdRing \in [0 .. N - 1 -> Ids] /\ ansRing \in [0 .. N - 1 -> Ids]
    /\ cmdPvt \in Idx /\ ansPvt \in Idx
    /\ nextId \in 1 .. MaxCmd + 1
    /\ ansGot \in Seq(Ids) /\ cmdGot \in Seq(Ids) /\ pending \in Seq(Ids)
    /\ conPc \in {"run", "notify", "ipi", "idle", "check", "sleep"}
    /\ vmmPc \in {"run", "notify", "ipi", "idle", "check", "sleep"}
    /\ cmdNotifyFrom \in Idx /\ ansNotifyFrom \in Idx
    /\ consoleTrusted \in BOOLEAN /\ ipiConsole \in BOOLEAN /\ ipiVmm \in BOOLEAN

\* Commands answered so far, in the order the VMM wrote the answers.
Answered == Prefix(cmdGot, Len(cmdGot) - Len(pending))

\* Never more than N packets written and not consumed, in either ring.
NoOverflow ==
    /\ Dist(cmdCons, cmdPvt) <= N
    /\ Dist(ansCons, ansPvt) <= N

\* No consumer passes its producer: nothing consumed that was not written.
NoUnderflow ==
    /\ Len(cmdGot) <= nextId - 1
    /\ Len(ansGot) <= Len(cmdGot) - Len(pending)

\* Exactly once, in order: the consumed ids are a prefix of the produced ids.
CommandsInOrder ==
    Len(cmdGot) <= nextId - 1 /\ cmdGot = Prefix(Issued(nextId - 1), Len(cmdGot))
AnswersInOrder ==
    Len(ansGot) <= Len(Answered) /\ ansGot = Prefix(Answered, Len(ansGot))

\* Every answer the console took answers a command that was outstanding:
\* issued, taken by the VMM, and not answered before.
AnswersAnswerOutstanding ==
    \A i \in 1 .. Len(ansGot) :
        /\ ansGot[i] \in 1 .. nextId - 1
        /\ ansGot[i] \in Range(cmdGot)
        /\ \A j \in 1 .. i - 1 : ansGot[j] # ansGot[i]

\* Each control area is written only by its owner's actions (an action
\* property: checked on every step).
ConsoleActs == ConsoleStep \/ IopmSpuriousWake \/ IopmPublishBogus
VmmActs == VmmStep \/ VmmSpuriousWake
OwnersWrite ==
    [][ /\ ConsoleActs => UNCHANGED vmmArea
        /\ VmmActs => UNCHANGED consoleArea
      ]_vars

-----------------------------------------------------------------------------
(* Liveness, under Fairness: no lost wakeup, no deadlock *)

\* Every issued command is eventually taken by the VMM...
EveryCommandTaken ==
    \A i \in 1 .. MaxCmd : (nextId > i) ~> (Len(cmdGot) >= i)
\* ...and its answer eventually taken by the console.
EveryCommandAnswered ==
    \A i \in 1 .. MaxCmd : (nextId > i) ~> (Len(ansGot) >= i)
\* The run ends with every command answered.
AllDone == <>(Len(ansGot) = MaxCmd)
=============================================================================
