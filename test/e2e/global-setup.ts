// Once per e2e run: the engine must answer, the frontend image is rebuilt from
// the current bundle, and the base images every fixture needs exist.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

export default function setup(): void {
  const root = path.resolve(__dirname, "../..");
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });
  // Installs and starts the engine when none answers (idempotent, fast when it runs).
  try {
    run("bash", ["scripts/engine/up.sh"]);
  } catch {
    throw new Error("The Docker engine could not be started (see above); end-to-end tests never skip.");
  }
  run("bash", ["scripts/frontend-image.sh"]);
  // .NET fixtures are proven by plan and LLB tests only: no registry here ships the .NET SDK.
  const planOnly = (f: string) => f.startsWith("dotnet-");
  const fixtures = readdirSync(path.join(root, "fixtures")).filter((f) => !planOnly(f)).map((f) => path.join("fixtures", f));
  // Plan-only fixtures may name releases no registry here ships (ruby:3.4, php8.4): those
  // images are skipped rather than faked; a test that builds such a fixture fails by name.
  execFileSync("node", ["scripts/standins.mjs", ...fixtures], { cwd: root, stdio: "inherit", env: { ...process.env, MIGETPACKS_STANDINS_SKIP_UNAVAILABLE: "1" } });
}
