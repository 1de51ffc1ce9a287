// Where the program is: most Go services keep `package main` at the module
// root, many in cmd/<name>/ (the standard layout) with none at the root. A
// plain `go build .` fails on the latter, so the plan finds the main packages.
import type { BuildContext } from "../../context/fs.js";
import { readText } from "../../context/fs.js";
import { packageName } from "./gomod.js";

/** Paths the gateway must load for this (its second, follow-up transfer). */
export const MAIN_PACKAGE_READS = ["*.go", "cmd/*/*.go"];

async function hasMain(ctx: BuildContext, dir: string): Promise<boolean> {
  for (const e of (await ctx.readDir(dir)) ?? []) {
    if (e.kind !== "file" || !e.name.endsWith(".go") || e.name.endsWith("_test.go")) continue;
    if (packageName((await readText(ctx, dir ? `${dir}/${e.name}` : e.name)) ?? "") === "main") return true;
  }
  return false;
}

/** `["."]` when the root is a main package, else `./cmd/<name>` for each main package there, else undefined. */
export async function findMainPackages(ctx: BuildContext): Promise<string[] | undefined> {
  if (await hasMain(ctx, "")) return ["."];
  const found: string[] = [];
  for (const e of (await ctx.readDir("cmd")) ?? []) {
    if (e.kind === "dir" && (await hasMain(ctx, `cmd/${e.name}`))) found.push(`./cmd/${e.name}`);
  }
  return found.length ? found : undefined;
}

/** Of several binaries, the one that is most likely the web process. */
export function pickWebBinary(binaries: string[], moduleName: string): string | undefined {
  const prefer = [moduleName, "server", "web", "api", "app", "http", "serve"];
  return prefer.find((p) => binaries.includes(p)) ?? binaries[0];
}
