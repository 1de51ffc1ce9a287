// Canonical (Go-identical) encoding of pb.Op.
//
// Go's protobuf marshaller writes a message's oneof member after all regular
// fields, while protobufjs writes strictly by field number. For pb.Op that means
// `exec|source|file|merge|diff` (2..7) must follow `platform` (10) and
// `constraints` (11). We encode the two halves separately and concatenate them,
// which is valid protobuf (field order is free on the wire) and byte-identical
// to BuildKit's own client. BuildKit >= 0.18 re-digests ops canonically, so a
// non-canonical digest would break warnings and progress that name a vertex.
import { Op, type pb } from "./pb.js";

const ONEOF = new Set(["exec", "source", "file", "merge", "diff"]);

export function encodeOp(op: pb.Op): Uint8Array {
  const plain: Record<string, unknown> = {};
  const member: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(op)) {
    if (v === undefined) continue;
    (ONEOF.has(k) ? member : plain)[k] = v;
  }
  const a = Op.encode(Op.fromObject(plain)).finish();
  const b = Op.encode(Op.fromObject(member)).finish();
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Drops proto3 zero values (0, false, "", empty arrays, undefined) from a
 * message object so the encoder never writes them, as Go omits them. Nested
 * message objects are kept even when empty: Go writes a set message pointer.
 *
 * Always name the message type: `omitZero<pb.Meta>({...})`. The argument is
 * NoInfer, so the literal is checked against that type (a misspelled field is
 * an error); a bare `omitZero({...})` with no typed target gets `never` and
 * fails to compile rather than going unchecked.
 */
export function omitZero<T extends object = never>(msg: NoInfer<T>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(msg)) {
    if (v === undefined || v === 0 || v === false || v === "") continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as T;
}

/** Object with keys in sorted order: protobuf map entries are written in key order. */
export function sortedRecord<V>(rec: Record<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(rec).sort()) out[k] = rec[k] as V;
  return out;
}
