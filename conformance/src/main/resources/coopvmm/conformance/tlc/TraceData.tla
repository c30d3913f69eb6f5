----------------------------- MODULE TraceData -----------------------------
(***************************************************************************)
(* A trace to validate, read from a file rather than written as a literal: *)
(* SANY's time grows faster than the literal it parses, and a run of a     *)
(* minute has millions of events.  TLC evaluates Pieces with the Java      *)
(* definition coopvmm.conformance.tlc.TraceData, which ./coop puts on its  *)
(* class path; without it this module stops TLC with the message below.    *)
(*                                                                         *)
(* Pieces(file) is a sequence of pieces, each a sequence of events, each a *)
(* record [a |-> action name, line |-> line in the trace, <field> |-> n].  *)
(***************************************************************************)
LOCAL INSTANCE TLC

Pieces(file) == Assert(FALSE, "TraceData!Pieces needs ./coop's TLC override (coopvmm.conformance.tlc.TraceData) on TLC's class path")
=============================================================================
