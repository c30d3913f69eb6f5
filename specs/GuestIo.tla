------------------------------- MODULE GuestIo -------------------------------
(***************************************************************************)
(* The guest I/O protocol of the cooperative-model VMM (seed, part 3 A 5   *)
(* and B 3: "IO requests issued by virtual machine captured by VMM and     *)
(* submit to IOPM, IOPM then return the processing results to VMM").       *)
(*                                                                         *)
(* Each vCPU runs the same tiny guest program: NInsn port-I/O            *)
(* instructions, `out imm8, al` (writes AL to a port) or `in al, imm8`     *)
(* (reads a port into AL), 2 bytes each, at addresses Base, Base + 2, ...  *)
(* The port is in the instruction (imm8), so a real guest needs no         *)
(* register set between two.  A device is a disk controller, owned by one  *)
(* IOPM (the routing table), with three registers per guest: SEL (out:     *)
(* select a sector), DATA (out: write AL to the selected sector; in: read  *)
(* it) and STATUS (in: the sector the last DATA command completed on; 0    *)
(* before any).  Its sectors are the disk's, shared by every guest.  The   *)
(* program goes over the disks in turn, five instructions each: select the *)
(* sector its id names (AL, its id at entry), write AL there, read STATUS  *)
(* (the write's completion: the sector), select the sector STATUS named,   *)
(* read it back.  Each IN's value is what the next instruction uses, and   *)
(* every value stays its id while every step is right, so at its           *)
(* program's end the guest checks its own data (AL still its id: each      *)
(* command completed on the sector selected, each sector read back what it *)
(* wrote, across IOPMs and across a failover) and halts.  An I/O           *)
(* instruction                                                             *)
(* traps (a VM exit): the VMM captures the exit (vCPU, RIP, port,          *)
(* direction, data), submits it as a request to the IOPM that owns the     *)
(* port, and the vCPU waits.  The IOPM drives the device and answers with  *)
(* the result; the VMM applies it (an IN's data into AL, RIP past the      *)
(* instruction) and re-enters the guest.                                   *)
(*                                                                         *)
(* The ring is abstracted: a FIFO of requests and one of responses per     *)
(* IOPM, in the shared zone (CoopRing checks the ring itself).  Serving a  *)
(* request is one step (take it, drive the device, publish the response):  *)
(* an IOPM stops between steps, never between its device access and its    *)
(* response (a crash in that window needs an idempotent device and is not  *)
(* covered here).  A stopped IOPM's published responses stay readable in   *)
(* the shared zone.                                                        *)
(*                                                                         *)
(* Failover: at most MaxFail < NIopm IOPMs stop.  The VMM, once it knows   *)
(* (detection is IrqRouting's heartbeat check, abstracted here), marks the *)
(* IOPM failed, gives its devices to the lowest-numbered live IOPM, and    *)
(* re-issues there, in order, the requests the failed IOPM had not taken.  *)
(*                                                                         *)
(* Management (seed, part 3 B 3: "user issues a request to VMM through     *)
(* user interface which provided by IOPM to complete the virtual machine   *)
(* operation"): the last NAdmin vCPUs are VMs the user manages from the    *)
(* console, IOPM 1's user interface.  It issues a script of commands       *)
(* (start, create, start, stop, start, destroy, for each such VM in turn:  *)
(* the first start, of a VM not yet created, is to be refused) on the      *)
(* management ring, IOPM to VMM; the VMM carries each out on its VM, or    *)
(* refuses it when the VM's state does not allow it, and answers on the    *)
(* same ring's VMM-to-IOPM half.  A VM whose exit is in flight is stopped  *)
(* or destroyed only once that exit completed: the command waits.  The     *)
(* ring is abstracted as a queue each way (the same ring code and          *)
(* discipline as the I/O ring, the roles swapped).                         *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    NVcpu,      \* vCPUs 1 .. NVcpu
    NIopm,      \* IOPMs 1 .. NIopm
    NDev,       \* devices (disk controllers) 1 .. NDev
    NInsn,      \* port-I/O instructions in each guest's program
    MaxFail,    \* IOPMs that may stop in one behaviour
    NAdmin      \* the last NAdmin vCPUs are VMs the console manages

ASSUME NVcpu \in Nat \ {0} /\ NIopm \in Nat \ {0} /\ NDev \in Nat \ {0}
ASSUME NInsn \in Nat \ {0} /\ MaxFail \in 0 .. NIopm - 1 /\ NAdmin \in 0 .. NVcpu

Vcpu == 1 .. NVcpu
Iopm == 1 .. NIopm
Dev == 1 .. NDev
Insns == 1 .. NInsn

\* The guest program.  Instruction k: on disk Port(k), register Reg(k),
\* direction Dir(k); a disk's five in a row are SEL, DATA out, STATUS, SEL,
\* DATA in.
Base == 256
Step(k) == (k - 1) % 5
Dir(k) == IF Step(k) \in {0, 1, 3} THEN "out" ELSE "in"
Reg(k) == CASE Step(k) \in {0, 3} -> "sel" [] Step(k) = 2 -> "status" [] OTHER -> "data"
ILen(k) == 2                                    \* E6 ib (out) and E4 ib (in)
Port(k) == (((k - 1) \div 5) % NDev) + 1
Addr(k) == Base + 2 * (k - 1)
End == Addr(NInsn + 1)                          \* the guest checks its data and halts here
Insn(a) == CHOOSE k \in Insns : Addr(k) = a     \* the instruction at address a

\* A disk's sectors: every value a guest can write selects one (sector 0 is
\* also STATUS before any command, and a SEL register's reset value).
Sect == 0 .. NVcpu
\* A disk controller: its sectors, and each guest's SEL and STATUS registers.
Disks == [sect : [Sect -> 0 .. NVcpu], sel : [Vcpu -> Sect], stat : [Vcpu -> Sect]]
BlankDisk == [sect |-> [s \in Sect |-> 0], sel |-> [v \in Vcpu |-> 0],
              stat |-> [v \in Vcpu |-> 0]]

\* A captured exit, a request, a response.
Exits == [rip : {Addr(k) : k \in Insns}, port : Dev, dir : {"in", "out"}, data : 0 .. NVcpu]
NoExit == [rip |-> 0, port |-> 0, dir |-> "none", data |-> 0]
Requests == [vcpu : Vcpu, rip : {Addr(k) : k \in Insns}, port : Dev,
             dir : {"in", "out"}, data : 0 .. NVcpu]
Responses == [vcpu : Vcpu, rip : {Addr(k) : k \in Insns}, result : 0 .. NVcpu]

\* Management: the managed VMs, the console, and its script of commands.
Managed == NVcpu - NAdmin + 1 .. NVcpu
Console == 1                                    \* the IOPM whose user interface issues commands
\* Each managed VM's commands, in order: a start too early (refused), then its
\* life: created, started, stopped, started again, destroyed.
Ops == <<"start", "create", "start", "stop", "start", "destroy">>
NCmd == NAdmin * Len(Ops)
\* Command n of the script: the ops of the first managed VM, then the next's.
Script(n) == [n |-> n, op |-> Ops[((n - 1) % Len(Ops)) + 1],
              vcpu |-> NVcpu - NAdmin + 1 + (n - 1) \div Len(Ops)]
Commands == {Script(n) : n \in 1 .. NCmd}
Answers == [n : 1 .. NCmd, ok : BOOLEAN]

VARIABLES
    \* the guests (vCPU state the VMM holds)
    rip,        \* rip[v]: vCPU v's instruction pointer
    rax,        \* rax[v]: vCPU v's AL, where an IN's data lands
    mode,       \* mode[v]: "guest" (running), "exited" (exit captured),
                \* "waiting" (request submitted), "completed" (response applied),
                \* "halted" (checked its data at its end), "stopped" (the VMM
                \* stopped it for good); a managed VM also "absent" (not yet
                \* created), "created", "paused" (stopped by a command, may be
                \* started again), "destroyed"
    exit,       \* exit[v]: the last exit the VMM captured for v (kept after resume)
    \* the VMM's view of the IOPMs
    route,      \* route[d]: the IOPM that owns device d
    failed,     \* failed[i]: the VMM has declared IOPM i failed
    \* the shared zone
    reqQ,       \* reqQ[i]: requests submitted to IOPM i, not yet taken, in order
    rspQ,       \* rspQ[i]: responses IOPM i published, not yet applied, in order
    \* the IOPMs and their devices
    up,         \* up[i]: IOPM i runs
    dev,        \* dev[d]: disk controller d (its sectors and registers, in device
                \* memory every IOPM maps: it outlives a failed owner)
    \* history
    execs,      \* execs[v][k]: times instruction k of v took effect on its device
    computed,   \* computed[v][k]: the result the IOPM computed for it
    completions,\* completions[v][k]: times exit k of v was completed
    appliedFrom,\* appliedFrom[v]: the vCPU named by the last response applied to v (0: none)
    \* management: the console's commands and the VMM's answers
    cmdQ,       \* cmdQ[i]: commands IOPM i issued, not yet carried out, in order
    ansQ,       \* ansQ[i]: the VMM's answers to IOPM i, not yet taken, in order
    issued,     \* commands the console issued so far (its script's progress)
    answered    \* the answers the console took, in order (history)

admin == <<cmdQ, ansQ, issued, answered>>
vars == <<rip, rax, mode, exit, route, failed, reqQ, rspQ, up, dev, execs,
          computed, completions, appliedFrom, cmdQ, ansQ, issued, answered>>

Live == {i \in Iopm : ~failed[i]}           \* the IOPMs the VMM still uses
Min(S) == CHOOSE x \in S : \A y \in S : x <= y
Range(s) == {s[j] : j \in 1 .. Len(s)}
InitRoute == [d \in Dev |-> ((d - 1) % NIopm) + 1]
\* The request the VMM makes of v's captured exit.
Request(v) == [vcpu |-> v, rip |-> exit[v].rip, port |-> exit[v].port,
               dir |-> exit[v].dir, data |-> exit[v].data]
GuestDone(v) == mode[v] = "halted"
\* v will run no more: halted at the end of its program, or stopped by the VMM.
GuestOver(v) == GuestDone(v) \/ mode[v] \in {"stopped", "destroyed"}
\* v has an exit the VMM has not yet completed and re-entered past.
InExit(v) == mode[v] \in {"exited", "waiting", "completed"}

-----------------------------------------------------------------------------
Init ==
    /\ rip = [v \in Vcpu |-> Base]
    /\ rax = [v \in Vcpu |-> v]        \* the VMM enters each guest with its id in AL
    /\ mode = [v \in Vcpu |-> IF v \in Managed THEN "absent" ELSE "guest"]
    /\ exit = [v \in Vcpu |-> NoExit]
    /\ route = InitRoute
    /\ failed = [i \in Iopm |-> FALSE]
    /\ reqQ = [i \in Iopm |-> <<>>]
    /\ rspQ = [i \in Iopm |-> <<>>]
    /\ up = [i \in Iopm |-> TRUE]
    /\ dev = [d \in Dev |-> BlankDisk]
    /\ execs = [v \in Vcpu |-> [k \in Insns |-> 0]]
    /\ computed = [v \in Vcpu |-> [k \in Insns |-> 0]]
    /\ completions = [v \in Vcpu |-> [k \in Insns |-> 0]]
    /\ appliedFrom = [v \in Vcpu |-> 0]
    /\ cmdQ = [i \in Iopm |-> <<>>]
    /\ ansQ = [i \in Iopm |-> <<>>]
    /\ issued = 0
    /\ answered = <<>>

-----------------------------------------------------------------------------
(* VMM actions (BSP) *)

\* vCPU v executes the I/O instruction at its RIP and exits; the VMM captures
\* the exit: RIP, port, direction and the data an OUT writes (its AL).
VmmCaptureExit(v) ==
    /\ mode[v] = "guest"
    /\ rip[v] # End
    /\ LET k == Insn(rip[v]) IN
       exit' = [exit EXCEPT ![v] = [rip |-> rip[v], port |-> Port(k),
                                    dir |-> Dir(k),
                                    data |-> IF Dir(k) = "out" THEN rax[v] ELSE 0]]
    /\ mode' = [mode EXCEPT ![v] = "exited"]
    /\ UNCHANGED <<rip, rax, route, failed, reqQ, rspQ, up, dev, execs, computed,
                   completions, appliedFrom, admin>>

\* The VMM submits v's exit as a request to the IOPM that owns its port; v waits.
VmmSubmitExit(v) ==
    /\ mode[v] = "exited"
    /\ LET i == route[exit[v].port] IN
       reqQ' = [reqQ EXCEPT ![i] = Append(@, Request(v))]
    /\ mode' = [mode EXCEPT ![v] = "waiting"]
    /\ UNCHANGED <<rip, rax, exit, route, failed, rspQ, up, dev, execs, computed,
                   completions, appliedFrom, admin>>

\* The VMM applies the oldest response of IOPM i (failed or not: the shared
\* zone outlives it) to the vCPU it names: an IN's data into AL, RIP past the
\* instruction of the captured exit; the vCPU is ready to re-enter.
VmmCompleteExit(i) ==
    /\ rspQ[i] # <<>>
    /\ LET r == Head(rspQ[i])
           v == r.vcpu
           k == Insn(exit[v].rip) IN
       /\ rip' = [rip EXCEPT ![v] = exit[v].rip + ILen(k)]
       /\ rax' = [rax EXCEPT ![v] = IF exit[v].dir = "in" THEN r.result ELSE @]
       /\ mode' = [mode EXCEPT ![v] = "completed"]
       /\ completions' = [completions EXCEPT ![v][k] = @ + 1]
       /\ appliedFrom' = [appliedFrom EXCEPT ![v] = r.vcpu]
    /\ rspQ' = [rspQ EXCEPT ![i] = Tail(@)]
    /\ UNCHANGED <<exit, route, failed, reqQ, up, dev, execs, computed, admin>>

\* The VMM re-enters vCPU v (VM entry), its exit completed.
VmmResumeGuest(v) ==
    /\ mode[v] = "completed"
    /\ mode' = [mode EXCEPT ![v] = "guest"]
    /\ UNCHANGED <<rip, rax, exit, route, failed, reqQ, rspQ, up, dev, execs,
                   computed, completions, appliedFrom, admin>>

\* IOPM f stopped: the VMM marks it failed, gives its devices to the lowest
\* live IOPM, and re-issues there, in order, the requests f had not taken.
\* The last IOPM in use is kept.
VmmFailover(f) ==
    /\ ~up[f]
    /\ ~failed[f]
    /\ Live \ {f} # {}
    /\ LET t == Min(Live \ {f}) IN
       /\ route' = [d \in Dev |-> IF route[d] = f THEN t ELSE route[d]]
       /\ reqQ' = [i \in Iopm |-> IF i = f THEN <<>>
                                  ELSE IF i = t THEN reqQ[t] \o reqQ[f]
                                  ELSE reqQ[i]]
    /\ failed' = [failed EXCEPT ![f] = TRUE]
    /\ UNCHANGED <<rip, rax, mode, exit, rspQ, up, dev, execs, computed,
                   completions, appliedFrom, admin>>

\* The VMM stops running vCPU v for good: its guest made an exit the VMM does
\* not allow (an intercepted instruction it does not emulate, a fault it could
\* not deliver, I/O to no device, more exits than its program has), or it kept
\* the CPU without exiting.  Only a running guest: a waiting one's request is
\* in flight, and its answer must find it.  Not fair: a guest may never be
\* stopped.
VmmStopGuest(v) ==
    /\ mode[v] = "guest"
    /\ rip[v] # End
    /\ mode' = [mode EXCEPT ![v] = "stopped"]
    /\ UNCHANGED <<rip, rax, exit, route, failed, reqQ, rspQ, up, dev, execs,
                   computed, completions, appliedFrom, admin>>

\* vCPU v reached its program's end: it checks its own data (AL is still its
\* id, the value it wrote and read back through every disk) and halts.  The
\* check does not exit; the VMM sees the HLT, and where it is says the verdict.
GuestCheck(v) ==
    /\ mode[v] = "guest"
    /\ rip[v] = End
    /\ mode' = [mode EXCEPT ![v] = "halted"]
    /\ UNCHANGED <<rip, rax, exit, route, failed, reqQ, rspQ, up, dev, execs,
                   computed, completions, appliedFrom, admin>>

\* The VMM carries out the oldest command on IOPM i's management ring (failed
\* or not: the shared zone outlives it) and answers it: ok, with the VM's new
\* state, if the VM's state allows the command, else refused, the VM as it
\* was.  A command for a VM with an exit in flight waits until the exit has
\* completed and the VM is re-entered: its request or response would
\* otherwise find no vCPU waiting for it.
VmmCarryOutCommand(i) ==
    /\ cmdQ[i] # <<>>
    /\ LET c == Head(cmdQ[i])
           v == c.vcpu
           m == mode[v]
           ok == CASE c.op = "create" -> m = "absent"
                   [] c.op = "start" -> m \in {"created", "paused"}
                   [] c.op = "stop" -> m = "guest"
                   [] c.op = "destroy" -> m \in {"created", "guest", "paused", "halted", "stopped"}
           to == CASE c.op = "create" -> "created"
                   [] c.op = "start" -> "guest"
                   [] c.op = "stop" -> "paused"
                   [] c.op = "destroy" -> "destroyed" IN
       /\ ~InExit(v)
       /\ mode' = IF ok THEN [mode EXCEPT ![v] = to] ELSE mode
       /\ ansQ' = [ansQ EXCEPT ![i] = Append(@, [n |-> c.n, ok |-> ok])]
    /\ cmdQ' = [cmdQ EXCEPT ![i] = Tail(@)]
    /\ UNCHANGED <<rip, rax, exit, route, failed, reqQ, rspQ, up, dev, execs,
                   computed, completions, appliedFrom, issued, answered>>

-----------------------------------------------------------------------------
(* IOPM actions (APs) and failure *)

\* IOPM i takes its oldest request, drives the disk controller and publishes
\* the response: SEL selects the sector the data names, a DATA out writes the
\* data to the vCPU's selected sector, a DATA in reads it (each completes on
\* that sector: STATUS says so), STATUS reads that completion.
IopmServe(i) ==
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
                   [] Reg(k) = "data" /\ r.dir = "out" -> [d EXCEPT !.sect[at] = r.data,
                                                                     !.stat[r.vcpu] = at]
                   [] Reg(k) = "data" -> [d EXCEPT !.stat[r.vcpu] = at]
                   [] OTHER -> d IN
       /\ dev' = [dev EXCEPT ![r.port] = d2]
       /\ execs' = [execs EXCEPT ![r.vcpu][k] = @ + 1]
       /\ computed' = [computed EXCEPT ![r.vcpu][k] = res]
       /\ rspQ' = [rspQ EXCEPT ![i] = Append(@, [vcpu |-> r.vcpu, rip |-> r.rip,
                                                 result |-> res])]
    /\ reqQ' = [reqQ EXCEPT ![i] = Tail(@)]
    /\ UNCHANGED <<rip, rax, mode, exit, route, failed, up, completions, appliedFrom, admin>>

\* The console's user interface issues the next command of its script on its
\* management ring (it need not wait for the answers: they come in order).
IopmIssueCommand(i) ==
    /\ i = Console
    /\ up[i]
    /\ issued < NCmd
    /\ cmdQ' = [cmdQ EXCEPT ![i] = Append(@, Script(issued + 1))]
    /\ issued' = issued + 1
    /\ UNCHANGED <<rip, rax, mode, exit, route, failed, reqQ, rspQ, up, dev, execs,
                   computed, completions, appliedFrom, ansQ, answered>>

\* The console takes the VMM's oldest answer (and shows it to the user).
IopmTakeAnswer(i) ==
    /\ up[i]
    /\ ansQ[i] # <<>>
    /\ answered' = Append(answered, Head(ansQ[i]))
    /\ ansQ' = [ansQ EXCEPT ![i] = Tail(@)]
    /\ UNCHANGED <<rip, rax, mode, exit, route, failed, reqQ, rspQ, up, dev, execs,
                   computed, completions, appliedFrom, cmdQ, issued>>

\* IOPM i stops for good (a crash or a hang); at most MaxFail IOPMs stop.
IopmFail(i) ==
    /\ up[i]
    /\ Cardinality({j \in Iopm : ~up[j]}) < MaxFail
    /\ up' = [up EXCEPT ![i] = FALSE]
    /\ UNCHANGED <<rip, rax, mode, exit, route, failed, reqQ, rspQ, dev, execs,
                   computed, completions, appliedFrom, admin>>

\* Every guest halted, stopped or destroyed (or orphaned): the behaviour may
\* stutter here without a deadlock.
\* A managed VM left absent, created or paused by a console that stopped, its
\* commands all carried out: it will not run again.
Orphaned(v) == v \in Managed /\ ~up[Console] /\ cmdQ[Console] = <<>>
               /\ mode[v] \in {"absent", "created", "paused"}
Finished == (\A v \in Vcpu : GuestOver(v) \/ Orphaned(v)) /\ UNCHANGED vars

-----------------------------------------------------------------------------
\* GuestCheck is the guest's step, but the guest runs only when the BSP's loop
\* enters it: it is the VMM's CPU's, and fair with it.
VmmStep == \E v \in Vcpu : VmmCaptureExit(v) \/ VmmSubmitExit(v) \/ VmmResumeGuest(v)
                          \/ GuestCheck(v)
VmmIo == (\E i \in Iopm : VmmCompleteExit(i) \/ VmmCarryOutCommand(i))
         \/ (\E f \in Iopm : VmmFailover(f))
IopmUi(i) == IopmIssueCommand(i) \/ IopmTakeAnswer(i)
IopmStep == \E i \in Iopm : IopmServe(i) \/ IopmFail(i) \/ IopmUi(i)

VmmStop == \E v \in Vcpu : VmmStopGuest(v)

Next == VmmStep \/ VmmIo \/ VmmStop \/ IopmStep \/ Finished

\* Weak fairness per CPU: the VMM (the BSP, one loop doing one thing at a
\* time) keeps capturing, submitting, completing, resuming, failing over and
\* carrying out commands, and every running IOPM keeps serving and its user
\* interface keeps issuing and taking answers.  Failures are not fair: they may never
\* happen.  (Every guest program is finite and each of these steps makes
\* progress, so one condition for the whole VMM starves no vCPU.)
Fairness ==
    /\ WF_vars(VmmStep \/ VmmIo)
    /\ \A i \in Iopm : WF_vars(IopmServe(i)) /\ WF_vars(IopmUi(i))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Safety *)

TypeOK ==
    /\ rip \in [Vcpu -> Nat]
    /\ rax \in [Vcpu -> 0 .. NVcpu]
    /\ mode \in [Vcpu -> {"guest", "exited", "waiting", "completed", "halted", "stopped",
                          "absent", "created", "paused", "destroyed"}]
    /\ exit \in [Vcpu -> Exits \cup {NoExit}]
    /\ route \in [Dev -> Iopm]
    /\ failed \in [Iopm -> BOOLEAN] /\ up \in [Iopm -> BOOLEAN]
    /\ reqQ \in [Iopm -> Seq(Requests)]
    /\ rspQ \in [Iopm -> Seq(Responses)]
    /\ dev \in [Dev -> Disks]
    /\ execs \in [Vcpu -> [Insns -> Nat]]
    /\ computed \in [Vcpu -> [Insns -> 0 .. NVcpu]]
    /\ completions \in [Vcpu -> [Insns -> Nat]]
    /\ appliedFrom \in [Vcpu -> 0 .. NVcpu]
    /\ cmdQ \in [Iopm -> Seq(Commands)] /\ ansQ \in [Iopm -> Seq(Answers)]
    /\ issued \in 0 .. NCmd /\ answered \in Seq(Answers)

\* A vCPU that exited is not running until its response is applied: a running
\* (or halted) vCPU has every exit behind its RIP completed.
RunsOnlyWhenAnswered ==
    \A v \in Vcpu : mode[v] \in {"guest", "halted"} =>
        \A k \in Insns : Addr(k) < rip[v] => completions[v][k] >= 1

\* Each exit is completed at most once.
CompletedAtMostOnce ==
    \A v \in Vcpu : \A k \in Insns : completions[v][k] <= 1

\* No response completes an exit of another vCPU.
ResponseToItsVcpu ==
    \A v \in Vcpu : appliedFrom[v] \in {0, v}

\* A completed or resumed vCPU's RIP is its exit's RIP plus the instruction's
\* length, and after an IN its AL holds what the IOPM computed for that request.
ResumesPastTheExit ==
    \A v \in Vcpu : mode[v] \in {"completed", "guest", "halted"} /\ exit[v] # NoExit =>
        LET k == Insn(exit[v].rip) IN
        /\ rip[v] = exit[v].rip + ILen(k)
        /\ exit[v].dir = "in" => rax[v] = computed[v][k]

\* Every I/O instruction takes effect on its device at most once, a completed
\* one exactly once, and each of a halted guest's exactly once.
IoExactlyOnce ==
    \A v \in Vcpu : \A k \in Insns :
        /\ execs[v][k] <= 1
        /\ completions[v][k] >= 1 => execs[v][k] = 1
        /\ GuestDone(v) => execs[v][k] = 1

\* v's request or response is held: a request on an IOPM the VMM still uses
\* (running, or stopped and not yet failed over), or a response in the shared
\* zone.
InFlight(v) == \/ \E i \in Live : \E x \in Range(reqQ[i]) : x.vcpu = v
               \/ \E i \in Iopm : \E x \in Range(rspQ[i]) : x.vcpu = v

RECURSIVE SumOver(_, _)
\* The sum of f[x] over x in the finite set S.
SumOver(f, S) == IF S = {} THEN 0 ELSE LET x == Min(S) IN f[x] + SumOver(f, S \ {x})
\* How many requests and responses of v are queued, on every IOPM.
Copies(v) == LET Of(s) == Len(SelectSeq(s, LAMBDA x : x.vcpu = v)) IN
             SumOver([i \in Iopm |-> Of(reqQ[i]) + Of(rspQ[i])], Iopm)

\* No exit is lost: a waiting vCPU's request or response is held somewhere the
\* VMM will get its answer from (a failover re-issued it if its IOPM failed).
NoLostExit ==
    \A v \in Vcpu : mode[v] = "waiting" => InFlight(v)

\* A vCPU waits for one response only: at most one request or response of it
\* is queued, and none unless it waits (with NoLostExit: exactly one).
OneRequestPerExit ==
    \A v \in Vcpu : Copies(v) <= 1 /\ (mode[v] # "waiting" => Copies(v) = 0)

\* Each queued request is at the IOPM that owns its port, and nothing is
\* queued for, or routed to, an IOPM declared failed.
RequestsAtOwner ==
    /\ \A i \in Iopm : \A x \in Range(reqQ[i]) : route[x.port] = i
    /\ \A d \in Dev : route[d] \in Live

\* Every command the console issued is in exactly one place: on the ring to
\* the VMM, answered and on its way back, or taken by the console; and the
\* answers come back in the order of the commands.
CommandsAnsweredInOrder ==
    LET q == cmdQ[Console] \o [j \in 1 .. Len(ansQ[Console]) |-> Script(ansQ[Console][j].n)]
        all == [j \in 1 .. Len(answered) |-> answered[j].n] \o
               [j \in 1 .. Len(ansQ[Console]) |-> ansQ[Console][j].n] \o
               [j \in 1 .. Len(cmdQ[Console]) |-> cmdQ[Console][j].n] IN
    /\ Len(all) = issued
    /\ \A j \in 1 .. Len(all) : all[j] = j
    /\ \A i \in Iopm \ {Console} : cmdQ[i] = <<>> /\ ansQ[i] = <<>>

\* A managed VM runs only once created and started: before, nothing of it ran.
RunsOnlyOnceStarted ==
    \A v \in Managed : mode[v] \in {"absent", "created"} =>
        /\ rip[v] = Base /\ exit[v] = NoExit
        /\ \A k \in Insns : execs[v][k] = 0

\* A guest's own check passes: every guest that halted found its data intact,
\* every sector it read back held what it had written, and STATUS named the
\* sector it selected (a write lost at a failover, a read of another
\* sector, a completion not reported, each breaks the chain of ids).
GuestChecksPass ==
    \A v \in Vcpu : GuestDone(v) => rax[v] = v

-----------------------------------------------------------------------------
(* Liveness, under Fairness.  At most MaxFail < NIopm IOPMs stop, so one   *)
(* always lives: every exit is completed and every guest halts (or is      *)
(* stopped by the VMM).                                                    *)

EveryExitCompleted == \A v \in Vcpu : (mode[v] = "exited") ~> (mode[v] = "completed")
\* A managed VM is over once destroyed, which its script ends with; unless the
\* console stops, and with it the script.
EveryGuestFinishes == \A v \in Vcpu : <>(GuestOver(v) \/ (v \in Managed /\ ~up[Console]))
\* Every command the console issued is carried out and answered.
EveryCommandAnswered ==
    \A n \in 1 .. NCmd : (issued >= n) ~> (Len(answered) >= n \/ ~up[Console])
=============================================================================
