// MergeOp: stacks whole filesystems as layers without copying (like
// `COPY --link`), so a layer keeps its cache when only a lower one changes.
import { Vertex, pbInputs, type OpMeta, type Output } from "./vertex.js";
import { omitZero } from "./encode.js";
import type { pb } from "./pb.js";

export class MergeVertex extends Vertex {
  constructor(
    private readonly layers: readonly Output[],
    meta: OpMeta,
  ) {
    super(meta);
    if (layers.length < 2) throw new Error("merge op needs at least two non-scratch inputs");
  }

  /** One input per layer, duplicates included: Go's client lists them that way. */
  inputs(): readonly Output[] {
    return this.layers;
  }

  protected build(inputDigests: readonly { digest: string; index: number }[]) {
    // Input k of the op is layer k; index 0 is a zero and stays off the wire.
    const merge: pb.MergeOp = { inputs: this.layers.map((_, k) => omitZero<pb.MergeInput>({ input: k })) };
    // Merge is not platform specific: no platform field, like Go.
    const op = omitZero<pb.Op>({ inputs: pbInputs(inputDigests), constraints: {}, merge });
    return { op, caps: ["mergeop"] };
  }
}
