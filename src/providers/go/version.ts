// Go version, in the seed's order: GO_VERSION build arg, .go-version, go.mod
// (a `toolchain` line names the exact toolchain, so it beats `go`), default.
// In a workspace, go.work's directives come before go.mod's: Go requires the
// workspace's version to be at least every module's.
import { UserError } from "../../context/fs.js";
import type { GoMod, GoWork } from "./gomod.js";
import type { ToolVersion } from "../../manifest/tool-versions.js";

export const DEFAULT_GO_VERSION = "1.25.0";

export interface VersionPick {
  version: string;
  source: string;
}

const GO_VERSION = /^\d+\.\d+(\.\d+)?((rc|beta)\d+)?$/;

export function pickGoVersion(arg: string | undefined, goVersionFile: string | undefined, mod: GoMod | undefined, work?: GoWork, mise?: ToolVersion): VersionPick {
  const candidates: [string | undefined, string][] = [
    [arg, "build arg GO_VERSION"],
    [goVersionFile, ".go-version"],
    // mise / .tool-versions pin a toolchain like .go-version does; go.mod's `go` line is the module's minimum.
    [mise?.version, mise?.file ?? ""],
    [work?.toolchain, "go.work toolchain"],
    [work?.go, "go.work go directive"],
    [mod?.toolchain, "go.mod toolchain"],
    [mod?.go, "go.mod go directive"],
  ];
  for (const [raw, source] of candidates) {
    if (raw === undefined || raw.trim() === "" || raw.trim() === "default") continue;
    const version = raw.trim().replace(/^go/, "");
    if (!GO_VERSION.test(version)) {
      throw new UserError(
        `${source} says "${raw.trim()}", which is not a Go version; use a version such as 1.23 or 1.23.4.`,
        source.startsWith("go.") ? source.split(" ")[0] : source.startsWith("build arg") ? undefined : source,
      );
    }
    return { version, source };
  }
  return { version: DEFAULT_GO_VERSION, source: "default" };
}
