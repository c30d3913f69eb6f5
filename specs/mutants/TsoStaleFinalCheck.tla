------------------------ MODULE TsoStaleFinalCheck ------------------------
(***************************************************************************)
(* Bug class 5 on x86-TSO, a final check that reads a stale private copy:  *)
(* vmm_final_check compares rsp_cons with the rsp_prod that vmm_see_idle   *)
(* loaded into a register (it saw the ring empty), not                     *)
(* with rsp_prod re-read from memory after the full barrier.  A response   *)
(* published between that load and the store of rsp_event finds the old    *)
(* rsp_event and sends no IPI, and the VMM sleeps on it.  Every barrier of *)
(* ring.c is there: the barrier orders a load that no longer happens.      *)
(* EXPECT: SleeperHasWakeup                                                *)
(***************************************************************************)
EXTENDS CoopRingTSO

\* vmm_see_idle, load of rsp_prod: empty; the value is kept in a
\* register (vOld, free on this path).
BuggyVmmSeeIdle ==
    /\ vmmPc = "run"
    /\ mem[RspProd] = VView(RspCons)
    /\ VView(ReqProd) = reqPvt
    /\ Len(rspGot) < nextId - 1
    /\ vOld' = mem[RspProd]
    /\ vmmPc' = "sleepSt"
    /\ UNCHANGED <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vReg, iopmPriv,
                   ipiVmm, ipiIopm>>

\* vmm_final_check after the full barrier, on the private copy.
BuggyVmmFinalCheck ==
    /\ vmmPc = "check"
    /\ Has("VmmSleepMb") => vBuf = <<>>
    /\ vmmPc' = IF vOld = VView(RspCons) THEN "sleep" ELSE "run"
    /\ UNCHANGED <<mem, vBuf, iBuf, reqPvt, nextId, rspGot, vOld, vReg, iopmPriv,
                   ipiVmm, ipiIopm>>

BuggyVmmStep == VmmWriteRequestReadCons \/ VmmWriteRequest \/ VmmPublishWmb
                \/ VmmPublishRequests \/ VmmPublishNotify \/ VmmSendIpi
                \/ VmmConsumeReadProd
                \/ VmmConsumeRmb \/ VmmConsumeReadSlot \/ VmmConsumeWmb
                \/ VmmConsumeResponse \/ BuggyVmmSeeIdle \/ VmmPrepareSleep
                \/ BuggyVmmFinalCheck \/ VmmWake
BuggyNext == BuggyVmmStep \/ VmmSpuriousWake \/ IopmStep \/ IopmSpuriousWake
             \/ FlushVmm \/ FlushIopm \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars
             /\ WF_vars(BuggyVmmStep) /\ WF_vars(IopmStep)
             /\ WF_vars(FlushVmm) /\ WF_vars(FlushIopm)
=============================================================================
