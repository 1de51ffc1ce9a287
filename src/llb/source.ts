// Source ops: docker images and local (client-side) directories.
import { Vertex, type OpMeta, type Output } from "./vertex.js";
import { normalizeImageRef } from "./image-ref.js";
import { sortedRecord } from "./encode.js";
import { type Platform, toPbPlatform } from "./platform.js";
import type { pb } from "./pb.js";

export type ResolveMode = "default" | "pull" | "local";

export class ImageSource extends Vertex {
  readonly identifier: string;

  constructor(
    ref: string,
    readonly platform: Platform,
    readonly resolveMode: ResolveMode,
    meta: OpMeta,
  ) {
    super(meta);
    this.identifier = "docker-image://" + normalizeImageRef(ref);
  }

  inputs(): readonly Output[] {
    return [];
  }

  protected build() {
    const attrs: Record<string, string> = {};
    const caps = ["source.image"];
    if (this.resolveMode !== "default") attrs["image.resolvemode"] = this.resolveMode;
    // Only forced pulls need the resolvemode cap (BuildKit's Go client does the same).
    if (this.resolveMode === "pull") caps.push("source.image.resolvemode");
    const source: pb.SourceOp = { identifier: this.identifier };
    if (Object.keys(attrs).length) source.attrs = sortedRecord(attrs);
    return { op: { platform: toPbPlatform(this.platform), constraints: {}, source }, caps };
  }
}

export interface LocalOptions {
  sessionId?: string;
  includePatterns?: string[];
  excludePatterns?: string[];
  followPaths?: string[];
  sharedKeyHint?: string;
  differ?: "none" | "metadata";
}

export class LocalSource extends Vertex {
  constructor(
    readonly localName: string,
    readonly opts: LocalOptions,
    meta: OpMeta,
  ) {
    super(meta);
  }

  inputs(): readonly Output[] {
    return [];
  }

  protected build() {
    const o = this.opts;
    const attrs: Record<string, string> = {};
    const caps = ["source.local"];
    const set = (key: string, value: string | undefined, cap: string) => {
      if (value === undefined) return;
      attrs[key] = value;
      caps.push(cap);
    };
    set("local.session", o.sessionId || undefined, "source.local.sessionid");
    set("local.includepattern", jsonList(o.includePatterns), "source.local.includepatterns");
    set("local.excludepatterns", jsonList(o.excludePatterns), "source.local.excludepatterns");
    set("local.followpaths", jsonList(o.followPaths), "source.local.followpaths");
    set("local.sharedkeyhint", o.sharedKeyHint, "source.local.sharedkeyhint");
    set("local.differ", o.differ, "source.local.differ");
    const source: pb.SourceOp = { identifier: `local://${this.localName}` };
    if (Object.keys(attrs).length) source.attrs = sortedRecord(attrs);
    // Local sources carry no platform: the client's files are platform-neutral.
    return { op: { constraints: {}, source }, caps };
  }
}

function jsonList(list: string[] | undefined): string | undefined {
  return list && list.length ? JSON.stringify(list) : undefined;
}
