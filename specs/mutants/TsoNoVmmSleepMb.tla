-------------------------- MODULE TsoNoVmmSleepMb --------------------------
(***************************************************************************)
(* Bug class 6 on x86-TSO: vmm_final_check without its ring_mb() (ring.c   *)
(* line 392) between the store of rsp_event (vmm_prepare_sleep) and the    *)
(* re-read of rsp_prod.  The event index waits in the BSP's store buffer;  *)
(* the final check reads the old rsp_prod and the VMM sleeps, while the    *)
(* IOPM publishes, fences, reads the old rsp_event and sends no IPI.       *)
(* The config is CoopRingTSO's with "VmmSleepMb" left out of Fences.       *)
(* EXPECT: SleeperHasWakeup                                                *)
(***************************************************************************)
EXTENDS CoopRingTSO
=============================================================================
