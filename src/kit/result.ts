// The parts of a plan every language writes the same way: the result's web
// process, and the standard runtime (non-root uid 1000, /app, PORT). A provider
// states only what is particular to it; the result's detection fields
// (language, version, ...) come from its summary() and are filled in by the
// pipeline.
import type { CommonOptions } from "../options/build-args.js";
import type { Procfile } from "../manifest/procfile.js";
import { commandArgv } from "./run-command.js";
import type { BuildPlanInput } from "./schema.js";

type ResultInput = BuildPlanInput["result"];
type RuntimeInput = BuildPlanInput["runtime"];

/** The result fields a provider decides: the web command, the port, the Procfile's other processes. */
export function webResult(command: string, common: CommonOptions, procfile?: Procfile): Omit<ResultInput, "language" | "version" | "versionSource"> {
  return {
    runCommand: command,
    port: common.port,
    processes: { web: command, release: procfile?.release, workers: procfile?.workers ?? [] },
    _shell: true,
  };
}

export interface RuntimeSpec {
  image: string;
  copies: RuntimeInput["copies"];
  command: string;
  common: CommonOptions;
  /** Env besides PORT (which is always set). */
  env?: [string, string][];
  packages?: string[];
  workdir?: string;
  files?: RuntimeInput["files"];
}

/** The standard runtime: uid 1000, /app, `PORT` in the env, the command in exec form when it needs no shell. */
export function standardRuntime(s: RuntimeSpec): RuntimeInput {
  return {
    image: s.image,
    packages: s.packages ?? [],
    user: "1000:1000",
    workdir: s.workdir ?? "/app",
    env: [["PORT", String(s.common.port)], ...(s.env ?? [])],
    copies: s.copies,
    files: s.files,
    cmd: commandArgv(s.command),
    port: s.common.port,
    shell: true,
  };
}
