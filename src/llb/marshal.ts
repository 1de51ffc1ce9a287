// State → pb.Definition: ops inputs-first (post-order), each once, then the
// terminal op that points at the result. Bytes are deterministic: the same graph
// always gives the same Definition, so BuildKit's cache hits.
import type { State } from "./state.js";
import type { Vertex } from "./vertex.js";
import { Definition, type pb } from "./pb.js";
import { sortedRecord, encodeOp } from "./encode.js";
import { digestOf } from "./digest.js";

export interface MarshalOptions {
  /** Mark every exec and file op to run without cache (`--no-cache`). */
  ignoreCache?: boolean;
}

export interface Marshalled {
  /** Encoded pb.Definition. */
  bytes: Uint8Array;
  /** The same Definition as a message object (for a SolveRequest). */
  definition: pb.Definition;
  /** Op bytes in definition order (last = terminal op). */
  ops: Uint8Array[];
  /** Every LLB cap the graph needs, for checking against the daemon's Ping. */
  caps: string[];
}

export function marshal(state: State, opts: MarshalOptions = {}): Marshalled {
  if (!state.output) throw new Error("cannot marshal an empty (scratch) state");
  const ops: Uint8Array[] = [];
  const metadata: Record<string, pb.OpMetadata> = {};
  const allCaps = new Set<string>();
  const seen = new Set<string>();
  // Caps of metadata features (ignore_cache, description) go on the terminal
  // op, as Go's client puts them, so the Definition matches Go's byte for byte.
  const metaCaps = new Set<string>();

  const visit = (v: Vertex): void => {
    const enc = v.encode();
    if (seen.has(enc.digest)) return;
    for (const input of v.inputs()) visit(input.vertex);
    seen.add(enc.digest);
    ops.push(enc.bytes);
    const md: pb.OpMetadata = {};
    const ignore = v.meta.ignoreCache || (opts.ignoreCache && !isSource(enc.caps));
    if (ignore) {
      md.ignore_cache = true;
      metaCaps.add("meta.ignorecache");
    }
    if (v.meta.name) {
      md.description = { "llb.customname": v.meta.name };
      metaCaps.add("meta.description");
    }
    md.caps = capsRecord(enc.caps);
    enc.caps.forEach((c) => allCaps.add(c));
    metadata[enc.digest] = md;
  };
  visit(state.output.vertex);

  const head = state.output;
  const terminal = encodeOp({
    inputs: [head.index ? { digest: head.vertex.encode().digest, index: head.index } : { digest: head.vertex.encode().digest }],
  });
  const terminalCaps = ["constraints", "platform", ...metaCaps];
  terminalCaps.forEach((c) => allCaps.add(c));
  ops.push(terminal);
  metadata[digestOf(terminal)] = { caps: capsRecord(terminalCaps) };

  const definition: pb.Definition = { def: ops, metadata: sortedRecord(metadata) };
  const def = Definition.fromObject(definition);
  const bytes = Definition.encode(def).finish();
  return { bytes, definition, ops, caps: [...allCaps].sort() };
}

function capsRecord(caps: string[]): Record<string, boolean> {
  const rec: Record<string, boolean> = {};
  for (const c of [...new Set(caps)].sort()) rec[c] = true;
  return rec;
}

function isSource(caps: readonly string[]): boolean {
  return caps.some((c) => c.startsWith("source."));
}
