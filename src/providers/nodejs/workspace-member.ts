// Building one member of a workspace (PROJECT_PATH at a member): build the
// workspaces it depends on and itself, through the app's package manager, and
// start it from its own folder.
import { pmCommands, type PackageManager } from "./package-manager.js";
import { shellQuote } from "../../kit/shell.js";

export interface Member {
  dir: string;
  pkg: { name?: unknown; main?: unknown; scripts?: unknown };
}

function scripts(m: Member): Record<string, string> {
  return typeof m.pkg.scripts === "object" && m.pkg.scripts !== null ? (m.pkg.scripts as Record<string, string>) : {};
}

/**
 * The build, dependencies first where the package manager can order it. A Turborepo builds with the
 * repo's own turbo: the member and what it depends on, in turbo.json's task graph (npm alone runs every
 * workspace in the order of the `workspaces` globs, so apps/* before the packages/* they import).
 */
export function memberBuild(pm: PackageManager, m: Member, o: { turbo?: boolean } = {}): string | undefined {
  const name = typeof m.pkg.name === "string" ? m.pkg.name : undefined;
  // --env-mode=loose: the build's variables reach the tasks, as they do without turbo (turbo 2 filters undeclared ones).
  if (o.turbo && name) return `TURBO_TELEMETRY_DISABLED=1 ${pmCommands(pm).exec(`turbo run build ${shellQuote(`--filter=${name}...`)} --env-mode=loose`)}`;
  switch (pm.id) {
    case "npm":
      // npm runs workspaces in the order package.json lists them; --if-present skips those without a build.
      return "npm run build --workspaces --if-present";
    case "pnpm":
      return `pnpm --filter ${shellQuote(name ? `${name}...` : `{./${m.dir}}...`)} run --if-present build`;
    case "yarn-berry":
      return name ? `yarn workspaces foreach -Rt --from ${shellQuote(name)} run build` : undefined;
    case "yarn":
      return name && scripts(m).build !== undefined ? `yarn workspace ${shellQuote(name)} run build` : undefined;
  }
}

/** The start script in the member's folder (through the app's package manager), else its main file. */
export function memberStart(m: Member, pmBin: string, warnings: string[]): string {
  if (scripts(m).start) return `${pmBin} start`;
  if (typeof m.pkg.main === "string" && m.pkg.main) return `node ${m.pkg.main}`;
  warnings.push(`${m.dir}/package.json has no "start" script or "main"; running node index.js there. Add a start script.`);
  return "node index.js";
}
