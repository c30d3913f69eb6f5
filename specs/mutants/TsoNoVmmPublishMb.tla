------------------------- MODULE TsoNoVmmPublishMb -------------------------
(***************************************************************************)
(* Bug class 6 on x86-TSO: vmm_publish_requests without its ring_mb()      *)
(* (ring.c line 289) between the store of req_prod and the load of the     *)
(* IOPM's req_event.  The new req_prod waits in the BSP's store buffer     *)
(* while the load reads the old req_event: no IPI.  Meanwhile the IOPM     *)
(* arms req_event, fences, re-reads req_prod from memory (still old) and   *)
(* sleeps: it sleeps with a request published and no IPI coming.           *)
(* The config is CoopRingTSO's with "VmmPublishMb" left out of Fences.     *)
(* EXPECT: SleeperHasWakeup                                                *)
(***************************************************************************)
EXTENDS CoopRingTSO
=============================================================================
