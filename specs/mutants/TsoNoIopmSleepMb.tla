------------------------- MODULE TsoNoIopmSleepMb --------------------------
(***************************************************************************)
(* Bug class 6 on x86-TSO: iopm_final_check without its ring_mb() (ring.c  *)
(* line 597) between the store of req_event and the re-read of req_prod.   *)
(* The event index waits in the AP's store buffer, the final check reads   *)
(* the old req_prod and the IOPM sleeps, while the VMM publishes, fences,  *)
(* reads the old req_event and sends no IPI.                               *)
(* The config is CoopRingTSO's with "IopmSleepMb" left out of Fences.      *)
(* EXPECT: SleeperHasWakeup                                                *)
(***************************************************************************)
EXTENDS CoopRingTSO
=============================================================================
