// Elixir and Erlang/OTP versions from the files real projects pin them in:
// .elixir-version / .erlang-version, asdf's .tool-versions and mise's TOML
// (through the shared reader), Heroku's elixir_buildpack.config, and the
// `elixir:` requirement of mix.exs, which only decides when the default
// release does not satisfy it.
import semver from "semver";

/** `elixir_buildpack.config` (`elixir_version=1.15.7`, `erlang_version=26.1.2`; `#` comments). */
export function parseBuildpackConfig(text: string | undefined): { elixir?: string; erlang?: string } {
  const out: { elixir?: string; erlang?: string } = {};
  for (const raw of text?.split(/\r?\n/) ?? []) {
    const m = /^\s*(elixir|erlang)_version\s*=\s*([^\s#]+)/.exec(raw);
    if (m) out[m[1] as "elixir" | "erlang"] = m[2]!.replace(/^["']|["']$/g, "");
  }
  return out;
}

/** A Mix version requirement (`~> 1.14`, `>= 1.12.0 and < 2.0.0`, `~> 1.15 or ~> 1.16`) as a semver range; undefined when unreadable. */
export function requirementRange(req: string): string | undefined {
  const alternatives: string[] = [];
  for (const alt of req.split(/\s+or\s+/)) {
    const parts: string[] = [];
    for (const cond of alt.split(/\s+and\s+/)) {
      const m = /^\s*(~>|>=|<=|==|!=|>|<)?\s*v?(\d+)\.(\d+)(?:\.(\d+))?(?:-[\w.]+)?\s*$/.exec(cond);
      if (!m) return undefined;
      const [major, minor, patch] = [Number(m[2]), Number(m[3]), m[4] === undefined ? undefined : Number(m[4])];
      const full = `${major}.${minor}.${patch ?? 0}`;
      const op = m[1] ?? "==";
      if (op === "~>") parts.push(patch === undefined ? `>=${full} <${major + 1}.0.0-0` : `>=${full} <${major}.${minor + 1}.0-0`);
      else if (op === "==") parts.push(full);
      else if (op !== "!=") parts.push(`${op}${full}`);
    }
    alternatives.push(parts.join(" "));
  }
  const range = alternatives.join(" || ");
  return semver.validRange(range) ? range : undefined;
}

/**
 * The release a requirement asks for: `fallback` when it satisfies it, else the
 * line (`1.19`, an image tag that follows that line's newest patch) of the
 * lowest version it accepts.
 */
export function versionForRequirement(req: string, fallback: string): string | undefined {
  const range = requirementRange(req);
  if (!range) return undefined;
  if (semver.satisfies(fallback, range)) return fallback;
  const min = semver.minVersion(range);
  return min ? `${min.major}.${min.minor}` : undefined;
}
