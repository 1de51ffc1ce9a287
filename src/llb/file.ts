// FileOp: mkdir / mkfile / copy / rm applied in sequence, with no process and
// no shell, so it works on shell-less (distroless) images too.
import { Vertex, pbInputs, type OpMeta, type Output } from "./vertex.js";
import { omitZero } from "./encode.js";
import { sameOutput } from "./exec.js";
import type { pb } from "./pb.js";

/** Numeric owner; names would need the image's /etc/passwd at build time. */
export interface Owner {
  uid: number;
  gid: number;
}

export interface CopyOptions {
  owner?: Owner;
  mode?: number;
  followSymlink?: boolean;
  dirCopyContents?: boolean;
  createDestPath?: boolean;
  allowWildcard?: boolean;
  allowEmptyWildcard?: boolean;
  includePatterns?: string[];
  excludePatterns?: string[];
}

export type FileActionSpec =
  | { kind: "mkdir"; path: string; mode: number; makeParents?: boolean; owner?: Owner; timestamp?: number }
  | { kind: "mkfile"; path: string; mode: number; data: Uint8Array; owner?: Owner }
  | { kind: "rm"; path: string; allowNotFound?: boolean; allowWildcard?: boolean }
  | ({ kind: "copy"; from: Output | null; src: string; dest: string } & CopyOptions);

export class FileVertex extends Vertex {
  private readonly inputList: readonly Output[];

  constructor(
    readonly base: Output | null,
    readonly actions: readonly FileActionSpec[],
    meta: OpMeta,
  ) {
    super(meta);
    if (actions.length === 0) throw new Error("file op needs at least one action");
    const list: Output[] = [];
    const add = (o: Output | null) => {
      if (o && !list.some((x) => sameOutput(x, o))) list.push(o);
    };
    add(base);
    for (const a of actions) if (a.kind === "copy") add(a.from);
    this.inputList = list;
  }

  inputs(): readonly Output[] {
    return this.inputList;
  }

  protected build(inputDigests: readonly { digest: string; index: number }[]) {
    const caps = ["file.base"];
    const n = this.inputList.length;
    const idx = (o: Output | null) => (o ? this.inputList.findIndex((x) => sameOutput(x, o)) : -1);
    const actions = this.actions.map((a, k) => {
      // Action k works on the base (k = 0) or on the result of action k-1 (index n + k - 1).
      const input = k === 0 ? idx(this.base) : n + k - 1;
      const secondaryInput = a.kind === "copy" ? idx(a.from) : -1;
      const output = k === this.actions.length - 1 ? 0 : -1;
      return omitZero<pb.FileAction>({ input, secondaryInput, output, ...pbAction(a, caps) });
    });
    const op = omitZero<pb.Op>({ inputs: pbInputs(inputDigests), constraints: {}, file: { actions } });
    return { op, caps };
  }
}

/** The action's oneof member (copy | mkfile | mkdir | rm). */
function pbAction(a: FileActionSpec, caps: string[]): pb.FileAction {
  switch (a.kind) {
    case "mkdir":
      // -1: the time the op runs; a fixed time (ns since the epoch) makes the layer the same bytes every run.
      return { mkdir: omitZero<pb.FileActionMkDir>({ path: a.path, mode: a.mode, makeParents: a.makeParents, owner: pbOwner(a.owner), timestamp: a.timestamp ?? -1 }) };
    case "mkfile":
      return { mkfile: omitZero<pb.FileActionMkFile>({ path: a.path, mode: a.mode, data: a.data, owner: pbOwner(a.owner), timestamp: -1 }) };
    case "rm":
      if (a.allowWildcard) caps.push("file.rm.wildcard");
      return { rm: omitZero<pb.FileActionRm>({ path: a.path, allowNotFound: a.allowNotFound, allowWildcard: a.allowWildcard }) };
    case "copy":
      if (a.includePatterns?.length || a.excludePatterns?.length) caps.push("file.copy.includeexcludepatterns");
      return {
        copy: omitZero<pb.FileActionCopy>({
          src: a.src,
          dest: a.dest,
          owner: pbOwner(a.owner),
          // -1 means "keep the source mode"; 0 would chmod 000.
          mode: a.mode ?? -1,
          followSymlink: a.followSymlink,
          dirCopyContents: a.dirCopyContents,
          createDestPath: a.createDestPath,
          allowWildcard: a.allowWildcard,
          allowEmptyWildcard: a.allowEmptyWildcard,
          timestamp: -1,
          include_patterns: a.includePatterns,
          exclude_patterns: a.excludePatterns,
        }),
      };
  }
}

function pbOwner(o: Owner | undefined): pb.ChownOpt | undefined {
  if (!o) return undefined;
  return { user: { byID: o.uid }, group: { byID: o.gid } };
}
