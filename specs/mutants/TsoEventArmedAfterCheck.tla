---------------------- MODULE TsoEventArmedAfterCheck ----------------------
(***************************************************************************)
(* Bug class 5 on x86-TSO, the event index armed after the re-check: the   *)
(* IOPM reads req_prod (empty), fences, re-reads req_prod (still empty),   *)
(* and only then stores req_event and sleeps.  The store waits in the AP's *)
(* buffer, or lands after the VMM's publish: the VMM, after its own full   *)
(* barrier, reads the old req_event and sends no IPI, and the IOPM sleeps  *)
(* with a request published.  Every barrier of ring.c is there: a barrier  *)
(* cannot save a re-check that comes before the store it must follow.      *)
(* EXPECT: SleeperHasWakeup                                                *)
(***************************************************************************)
EXTENDS CoopRingTSO

\* iopm_see_idle, load of req_prod: empty; goes to the re-check
\* without storing the event index.
BuggyIopmSeeIdle ==
    /\ iopmPc = "run" /\ pending = <<>>
    /\ mem[ReqProd] = IView(ReqCons)
    /\ IView(RspProd) = rspPvt
    /\ iopmPc' = "check"
    /\ UNCHANGED <<mem, vBuf, iBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiVmm, ipiIopm>>

\* The re-check (after the full barrier): still empty, so it goes on to
\* arm the event index.
BuggyIopmFinalCheck ==
    /\ iopmPc = "check"
    /\ Has("IopmSleepMb") => iBuf = <<>>
    /\ iopmPc' = IF mem[ReqProd] = IView(ReqCons) THEN "sleepSt" ELSE "run"
    /\ UNCHANGED <<mem, vBuf, iBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiVmm, ipiIopm>>

\* The store of req_event = req_cons + 1, then sleep.
BuggyIopmArmAndSleep ==
    /\ iopmPc = "sleepSt" /\ CanStore(iBuf)
    /\ iBuf' = Store(iBuf, ReqEvent, Inc(IView(ReqCons)))
    /\ iopmPc' = "sleep"
    /\ UNCHANGED <<mem, vBuf, vmmPriv, rspPvt, reqGot, pending, iOld, iReg,
                   ipiVmm, ipiIopm>>

BuggyIopmStep == IopmConsumeReadProd \/ IopmConsumeRmb \/ IopmConsumeReadSlot
                 \/ IopmConsumeWmb \/ IopmConsume \/ IopmWriteResponseReadCons
                 \/ IopmWriteResponse \/ IopmPublishWmb \/ IopmPublishResponses
                 \/ IopmPublishNotify \/ IopmSendIpi \/ BuggyIopmSeeIdle
                 \/ BuggyIopmFinalCheck \/ BuggyIopmArmAndSleep \/ IopmWake
BuggyNext == VmmStep \/ VmmSpuriousWake \/ BuggyIopmStep \/ IopmSpuriousWake
             \/ FlushVmm \/ FlushIopm \/ Finished
BuggySpec == Init /\ [][BuggyNext]_vars
             /\ WF_vars(VmmStep) /\ WF_vars(BuggyIopmStep)
             /\ WF_vars(FlushVmm) /\ WF_vars(FlushIopm)
=============================================================================
