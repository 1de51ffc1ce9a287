// .NET versions. The runtime the app needs is its target framework (net8.0 →
// the 8.0 channel); the SDK that builds it is global.json's `sdk.version`
// under its `rollForward` policy, else the same channel. Images are tagged by
// channel (`aspnet:8.0`) and, for SDKs, also by exact version (`sdk:8.0.404`).
import { UserError } from "../../context/fs.js";
import { parseJsonc } from "../../context/jsonc.js";
import type { DotnetProject } from "./projects.js";

/** Channels with official Linux images, oldest first (as of 2026-11; 10.0 is the current LTS). */
export const CHANNELS = ["3.1", "5.0", "6.0", "7.0", "8.0", "9.0", "10.0"] as const;
export const DEFAULT_CHANNEL = "10.0";

export interface DotnetVersion {
  /** Runtime channel, e.g. "8.0": the runtime image's tag. */
  channel: string;
  /** SDK image tag: a channel ("8.0") or an exact SDK version ("8.0.404") when global.json pins one. */
  sdkTag: string;
  source: string;
}

const cmp = (a: string, b: string) => {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  return x[0]! - y[0]! || (x[1] ?? 0) - (y[1] ?? 0);
};

/** `net8.0`, `net8.0-windows`, `netcoreapp3.1` → "8.0" / "3.1"; .NET Framework and netstandard → undefined. */
export function channelOfTfm(tfm: string): string | undefined {
  const m = /^net(?:coreapp)?(\d+)\.(\d+)(?:-.*)?$/i.exec(tfm.trim());
  if (!m) return undefined;
  if (!/^netcoreapp/i.test(tfm) && Number(m[1]) < 5) return undefined;
  return `${Number(m[1])}.${Number(m[2])}`;
}

/** The highest runtime channel the projects target. */
function projectsChannel(projects: DotnetProject[]): { channel: string; file: string } | undefined {
  let best: { channel: string; file: string } | undefined;
  for (const p of projects) {
    for (const tfm of p.targetFrameworks) {
      const c = channelOfTfm(tfm);
      if (c && (!best || cmp(c, best.channel) > 0)) best = { channel: c, file: p.path };
    }
  }
  return best;
}

export interface GlobalJson {
  sdkVersion?: string;
  rollForward?: string;
}

export function parseGlobalJson(text: string): GlobalJson {
  const doc = parseJsonc(text, "global.json") as { sdk?: { version?: unknown; rollForward?: unknown } } | undefined;
  const sdk = doc && typeof doc === "object" ? doc.sdk : undefined;
  const version = typeof sdk?.version === "string" ? sdk.version.trim() : undefined;
  if (version !== undefined && !/^\d+\.\d+\.\d{3,}(-[\w.-]+)?$/.test(version)) {
    throw new UserError(`global.json: sdk.version "${version}" is not an SDK version (like 8.0.404); fix it and build again.`, "global.json");
  }
  return { sdkVersion: version, rollForward: typeof sdk?.rollForward === "string" ? sdk.rollForward : undefined };
}

/** The SDK image tag global.json asks for: exact under the patch-level policies, the channel otherwise. */
function sdkTagFor(g: GlobalJson): string | undefined {
  if (!g.sdkVersion) return undefined;
  const [major, minor] = g.sdkVersion.split(".");
  const channel = `${major}.${minor}`;
  switch ((g.rollForward ?? "latestPatch").toLowerCase()) {
    case "patch":
    case "latestpatch":
    case "disable":
      return g.sdkVersion;
    case "latestmajor":
      return CHANNELS.at(-1)!;
    default: // feature, latestFeature, minor, latestMinor, major: the channel's newest SDK satisfies them
      return channel;
  }
}

function channelOfArg(raw: string): string {
  const m = /^(\d+)(?:\.(\d+))?(?:\.\d+)?$/.exec(raw.trim());
  if (!m) throw new UserError(`build arg DOTNET_VERSION=${JSON.stringify(raw)} is not a .NET version; use a channel such as 8.0 or 10.0.`);
  return `${Number(m[1])}.${Number(m[2] ?? 0)}`;
}

export function pickDotnetVersion(arg: string | undefined, global: GlobalJson | undefined, projects: DotnetProject[], toolVersion: string | undefined): DotnetVersion {
  const fromProjects = projectsChannel(projects);
  const globalTag = global ? sdkTagFor(global) : undefined;
  if (!fromProjects && projects.length && projects.every((p) => p.targetFrameworks.length)) {
    const p = projects[0]!;
    throw new UserError(`${p.path} targets ${p.targetFrameworks.join(", ")}, which is not .NET (Core) 5+ and does not run on Linux containers; retarget it to net8.0 or newer.`, p.path);
  }
  let pick: DotnetVersion;
  if (arg?.trim()) {
    const channel = channelOfArg(arg);
    pick = { channel, sdkTag: /^\d+\.\d+\.\d+/.test(arg.trim()) ? arg.trim() : channel, source: "build arg DOTNET_VERSION" };
  } else if (fromProjects) {
    pick = { channel: fromProjects.channel, sdkTag: globalTag ?? fromProjects.channel, source: `${fromProjects.file} TargetFramework` };
  } else if (globalTag) {
    const [major, minor] = global!.sdkVersion!.split(".");
    pick = { channel: `${major}.${minor}`, sdkTag: globalTag, source: "global.json sdk.version" };
  } else if (toolVersion) {
    const channel = channelOfArg(toolVersion);
    pick = { channel, sdkTag: channel, source: ".tool-versions" };
  } else {
    pick = { channel: DEFAULT_CHANNEL, sdkTag: DEFAULT_CHANNEL, source: "default" };
  }
  // An SDK builds its own and older target frameworks, never newer ones.
  const sdkChannel = pick.sdkTag.split(".").slice(0, 2).join(".");
  if (cmp(sdkChannel, pick.channel) < 0) {
    throw new UserError(`global.json pins the .NET SDK ${pick.sdkTag}, which cannot build ${pick.channel} (the projects target net${pick.channel}); raise sdk.version or set rollForward to latestMajor.`, "global.json");
  }
  if (!(CHANNELS as readonly string[]).includes(pick.channel)) {
    throw new UserError(`.NET ${pick.channel} (${pick.source}) has no official Linux images; use one of ${CHANNELS.join(", ")}.`);
  }
  return pick;
}
