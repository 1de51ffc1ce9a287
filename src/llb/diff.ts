// DiffOp: the changes that turn `lower` into `upper`, as a filesystem of its
// own (typically merged onto another base afterwards).
import { Vertex, pbInputs, type OpMeta, type Output } from "./vertex.js";
import { omitZero } from "./encode.js";
import type { pb } from "./pb.js";

export class DiffVertex extends Vertex {
  private readonly inputList: readonly Output[];

  constructor(
    private readonly lower: Output,
    private readonly upper: Output | null,
    meta: OpMeta,
  ) {
    super(meta);
    // Lower first, then upper; Go lists an identical upper a second time.
    this.inputList = upper ? [lower, upper] : [lower];
  }

  inputs(): readonly Output[] {
    return this.inputList;
  }

  protected build(inputDigests: readonly { digest: string; index: number }[]) {
    // A scratch upper is index -1 (pb.Empty); set messages are written even when zero.
    const diff: pb.DiffOp = {
      lower: omitZero<pb.LowerDiffInput>({ input: 0 }),
      upper: omitZero<pb.UpperDiffInput>({ input: this.upper ? 1 : -1 }),
    };
    // Diff is not platform specific: no platform field, like Go.
    const op = omitZero<pb.Op>({ inputs: pbInputs(inputDigests), constraints: {}, diff });
    return { op, caps: ["diffop"] };
  }
}
