// A vertex is one LLB op. Each knows its inputs and how to build its pb.Op
// object given the digests of those inputs; marshal.ts walks the graph.
import { encodeOp } from "./encode.js";
import { digestOf } from "./digest.js";
import type { pb } from "./pb.js";

/** One output of a vertex: what a State points at. */
export interface Output {
  readonly vertex: Vertex;
  readonly index: number;
}

/** Options every op may carry; none of them affect the op's digest. */
export interface OpMeta {
  /** Step title shown in progress output (llb.customname). */
  name?: string;
  /** Always re-run this op (no-cache). */
  ignoreCache?: boolean;
}

export interface Encoded {
  bytes: Uint8Array;
  digest: string;
  caps: string[];
}

export abstract class Vertex {
  private encoded?: Encoded;

  constructor(readonly meta: OpMeta) {}

  /** Distinct input outputs, in the order the op's `inputs` lists them. */
  abstract inputs(): readonly Output[];

  /** The pb.Op as a plain object plus the caps it needs; inputs are already digested. */
  protected abstract build(inputDigests: readonly { digest: string; index: number }[]): {
    op: pb.Op;
    caps: string[];
  };

  /** Bytes and digest, memoized: vertices are immutable once created. */
  encode(): Encoded {
    if (!this.encoded) {
      const inputs = this.inputs().map((o) => ({ digest: o.vertex.encode().digest, index: o.index }));
      const { op, caps } = this.build(inputs);
      const bytes = encodeOp(op);
      this.encoded = { bytes, digest: digestOf(bytes), caps: [...new Set(caps)].sort() };
    }
    return this.encoded;
  }
}

/** pb.Input objects with proto3 zero (index 0) omitted, as Go writes them. */
export function pbInputs(inputs: readonly { digest: string; index: number }[]): pb.Input[] {
  return inputs.map((i) => (i.index ? { digest: i.digest, index: i.index } : { digest: i.digest }));
}
