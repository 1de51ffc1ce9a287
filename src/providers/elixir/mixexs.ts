// mix.exs is Elixir code, not data: we read only the forms `mix new` and
// `mix phx.new` generate and the Mix docs document — `app: :name`,
// `apps_path: "apps"`, `releases: [name: [...]]`, dependency tuples
// `{:phoenix, "~> 1.7"}`, and aliases such as `"assets.deploy": [...]` —
// after removing comments and the contents of strings that could fake them.
import { UserError } from "../../context/fs.js";

export interface MixProject {
  /** `app: :my_app` of project/0; undefined for an umbrella root. */
  app?: string;
  /** `elixir: "~> 1.14"`: the Elixir versions the project accepts. */
  elixir?: string;
  /** `apps_path: "apps"`: an umbrella project. */
  appsPath?: string;
  /** Release names under `releases:` (their order); empty when none is configured. */
  releases: string[];
  /** Dependencies named in deps/0 (`{:phoenix, ...}`), in order. */
  deps: string[];
  /** Those fetched from a package manager or git (not `path:` or `in_umbrella: true`): they need `mix deps.get`. */
  fetched: string[];
  /** Mix aliases defined in aliases/0 (`"assets.deploy"`, `setup`...). */
  aliases: string[];
}

/** Removes `# comments` (outside strings) so commented-out code never counts. */
function stripComments(text: string): string {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
    } else if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else out += c;
  }
  return out;
}

/** The body of `defp name do ... end` / `def name do ... end` (up to the matching `end` at the same indentation). */
function functionBody(text: string, name: string): string | undefined {
  const m = new RegExp(`^([ \\t]*)defp?\\s+${name}(?:\\(\\s*\\))?\\s*(?:,\\s*do:|do\\b)`, "m").exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].length;
  if (/,\s*do:$/.test(m[0])) return text.slice(start, text.indexOf("\n", start) === -1 ? undefined : text.indexOf("\n", start));
  const end = new RegExp(`^${m[1]}end\\b`, "m").exec(text.slice(start));
  return end ? text.slice(start, start + end.index) : text.slice(start);
}

/** The inside of the first balanced `[...]` in `text`. */
function bracketed(text: string): string | undefined {
  const start = text.indexOf("[");
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === "[") depth++;
    else if (text[i] === "]" && --depth === 0) return text.slice(start + 1, i);
  }
  return undefined;
}

/** The bracketed list after `key:` (balanced brackets), e.g. the releases keyword list. */
function listAfter(text: string, key: string): string | undefined {
  const m = new RegExp(`\\b${key}:\\s*\\[`).exec(text);
  return m ? bracketed(text.slice(m.index + m[0].length - 1)) : undefined;
}

export function parseMixExs(raw: string): MixProject {
  if (raw.length > 512 * 1024) throw new UserError("mix.exs is larger than 512 KB; is it really the project file?", "mix.exs");
  const text = stripComments(raw);
  if (!/defmodule\s+[\w.]+\s+do/.test(text) || !/use\s+Mix\.Project/.test(text)) {
    throw new UserError("mix.exs does not define a Mix project (`defmodule MyApp.MixProject do use Mix.Project ...`); fix it or remove it.", "mix.exs");
  }
  const project = functionBody(text, "project") ?? text;
  const app = /\bapp:\s*:"?([a-z_][\w]*)"?/.exec(project)?.[1];
  const appsPath = /\bapps_path:\s*"([^"]+)"/.exec(project)?.[1];
  const elixir = /\belixir:\s*"([^"]+)"/.exec(project)?.[1];
  // `releases: [name: [...], other: [...]]` inline, or `releases: releases()` with a function.
  const releasesFn = /\breleases:\s*(\w+)\(\)/.exec(project)?.[1];
  const releasesList = listAfter(project, "releases") ?? (releasesFn ? bracketed(functionBody(text, releasesFn) ?? "") : undefined);
  const releases = releasesList === undefined ? [] : topLevelKeys(releasesList);
  const hasReleasesKey = /\breleases:/.test(project);
  const depsBody = functionBody(text, "deps") ?? "";
  const tuples = [...depsBody.matchAll(/\{\s*:([a-z_][\w]*)\s*,([^}]*)\}/g)];
  const deps = tuples.map((d) => d[1]!);
  const fetched = tuples.filter((d) => !/\bin_umbrella:\s*true|\bpath:/.test(d[2]!)).map((d) => d[1]!);
  const aliasesBody = functionBody(text, "aliases") ?? "";
  const aliases = [...aliasesBody.matchAll(/(?:^|[\s,[])(?:"([\w.]+)"|([a-z_][\w]*)):\s/g)].map((a) => (a[1] ?? a[2])!);
  return { app, ...(elixir ? { elixir } : {}), appsPath, releases: releases.length || !hasReleasesKey ? releases : app ? [app] : [], deps, fetched, aliases };
}

/** Keys of a keyword list at bracket depth 0: `web: [...], worker: [...]` → [web, worker]. */
function topLevelKeys(list: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let token = "";
  for (const c of list) {
    if (c === "[" || c === "{" || c === "(") depth++;
    else if (c === "]" || c === "}" || c === ")") depth--;
    if (depth === 0 && /[\w]/.test(c)) token += c;
    else {
      if (depth === 0 && c === ":" && token) keys.push(token);
      if (!/[\w]/.test(c)) token = "";
    }
  }
  return keys.filter((k) => /^[a-z_]\w*$/.test(k));
}
