// Protobuf types for LLB and the gateway, loaded from the JSON descriptor that
// scripts/gen-proto.mjs compiles at build time (no .proto parsing at run time).
import protobuf from "protobufjs/light.js";
import descriptor from "../generated/descriptor.json" with { type: "json" };

// Interfaces generated from the same protos: build messages as these types so
// tsc rejects a misspelled field (protobufjs would silently drop it).
export type { pb, moby, google, fsutil, Long } from "../generated/pb-types.js";

export const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);

export function type(name: string): protobuf.Type {
  return root.lookupType(name);
}

export const Op = type("pb.Op");
export const Definition = type("pb.Definition");
export const OpMetadata = type("pb.OpMetadata");
