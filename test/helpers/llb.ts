// Decodes a marshalled pb.Definition back into plain objects, so tests can
// assert the graph BuildKit will see (the way client/llb's tests parse defs).
import { Definition, Op } from "../../src/llb/pb.js";
import { digestOf } from "../../src/llb/digest.js";

export interface DecodedOp {
  digest: string;
  bytes: Uint8Array;
  op: any;
  metadata: any;
}

export function decodeDefinition(bytes: Uint8Array): { ops: DecodedOp[]; byDigest: Map<string, DecodedOp> } {
  const def = Definition.toObject(Definition.decode(bytes), { longs: Number, defaults: false, bytes: Array }) as any;
  const ops: DecodedOp[] = (def.def as Uint8Array[]).map((b: any) => {
    const raw = Uint8Array.from(b);
    const digest = digestOf(raw);
    return { digest, bytes: raw, op: Op.toObject(Op.decode(raw), { longs: Number, defaults: false }), metadata: def.metadata?.[digest] };
  });
  return { ops, byDigest: new Map(ops.map((o) => [o.digest, o])) };
}

/** The op a definition returns (the terminal op's single input). */
export function headOp(d: ReturnType<typeof decodeDefinition>): DecodedOp {
  const terminal = d.ops[d.ops.length - 1]!;
  return d.byDigest.get(terminal.op.inputs[0].digest)!;
}

/** Every op reachable from `op`, inputs first. */
export function ancestors(d: ReturnType<typeof decodeDefinition>, op: DecodedOp): DecodedOp[] {
  const out: DecodedOp[] = [];
  const seen = new Set<string>();
  const walk = (o: DecodedOp) => {
    for (const i of o.op.inputs ?? []) {
      const dep = d.byDigest.get(i.digest)!;
      if (!seen.has(dep.digest)) {
        seen.add(dep.digest);
        walk(dep);
        out.push(dep);
      }
    }
  };
  walk(op);
  return out;
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

/**
 * The runtime image's own ops, base first: from the head down the chain of
 * file (and exec) ops on input 0 until the base image source. Each op is one layer.
 */
export function runtimeLayers(d: ReturnType<typeof decodeDefinition>): { base: DecodedOp; ops: DecodedOp[] } {
  const ops: DecodedOp[] = [];
  let o = headOp(d);
  while (!o.op.source) {
    ops.unshift(o);
    o = d.byDigest.get(o.op.inputs[0].digest)!;
  }
  return { base: o, ops };
}
