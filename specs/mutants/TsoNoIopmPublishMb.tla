------------------------ MODULE TsoNoIopmPublishMb -------------------------
(***************************************************************************)
(* Bug class 6 on x86-TSO: iopm_publish_responses without its ring_mb()    *)
(* (ring.c line 525) between the store of rsp_prod and the load of the     *)
(* VMM's rsp_event.  The response index waits in the AP's store buffer,    *)
(* the load sees the old rsp_event and sends no IPI, and the VMM, re-      *)
(* reading the old rsp_prod after its own barrier, sleeps on the answer.   *)
(* The config is CoopRingTSO's with "IopmPublishMb" left out of Fences.    *)
(* EXPECT: SleeperHasWakeup                                                *)
(***************************************************************************)
EXTENDS CoopRingTSO
=============================================================================
