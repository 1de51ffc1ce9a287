// Which languages are checked, in which order: one line per language. The
// order is the original's (bin/detect): backend languages before JavaScript
// runtimes, so a Rails app with a package.json is Ruby, not Node.js.
import { MIGETPACKS_TOML } from "../manifest/migetpacks-toml.js";
import type { Provider } from "../kit/provider.js";
import { bunProvider } from "../providers/bun/index.js";
import { clojureProvider } from "../providers/clojure/index.js";
import { denoProvider } from "../providers/deno/index.js";
import { dotnetProvider } from "../providers/dotnet/index.js";
import { elixirProvider } from "../providers/elixir/index.js";
import { goProvider } from "../providers/go/index.js";
import { javaProvider } from "../providers/java/index.js";
import { kotlinProvider } from "../providers/kotlin/index.js";
import { nodejsProvider } from "../providers/nodejs/index.js";
import { pythonProvider } from "../providers/python/index.js";
import { rustProvider } from "../providers/rust/index.js";
import { scalaProvider } from "../providers/scala/index.js";
import { rubyProvider } from "../providers/ruby/index.js";
import { phpProvider } from "../providers/php/index.js";

/** Languages we recognise but cannot build yet: detected so we never build them as something else. */
export interface Recognised {
  id: string;
  name: string;
  markers: readonly string[];
  aliases?: readonly string[];
}

export type Entry = { kind: "provider"; provider: Provider<any> } | { kind: "recognised"; lang: Recognised };

const recognised = (id: string, name: string, markers: string[], aliases: string[] = []): Entry => ({ kind: "recognised", lang: { id, name, markers, aliases } });
const provider = (p: Provider<any>): Entry => ({ kind: "provider", provider: p });

export const REGISTRY: readonly Entry[] = [
  provider(denoProvider),
  provider(rubyProvider),
  provider(pythonProvider),
  provider(goProvider),
  provider(rustProvider),
  provider(elixirProvider),
  provider(scalaProvider),
  provider(clojureProvider),
  provider(kotlinProvider),
  provider(javaProvider),
  provider(phpProvider),
  provider(dotnetProvider),
  provider(bunProvider),
  provider(nodejsProvider),
];

export function entryId(e: Entry): string {
  return e.kind === "provider" ? e.provider.id : e.lang.id;
}

export function entryMarkers(e: Entry): readonly string[] {
  return e.kind === "provider" ? e.provider.markers : e.lang.markers;
}

function entryAliases(e: Entry): readonly string[] {
  return (e.kind === "provider" ? e.provider.aliases : e.lang.aliases) ?? [];
}

export const PROVIDERS: readonly Provider<any>[] = REGISTRY.flatMap((e) => (e.kind === "provider" ? [e.provider] : []));

/** Every language id, in detection order. */
export const LANGUAGES: readonly string[] = REGISTRY.map(entryId);

/** A language id or one of its aliases (lower case) → the language id. */
export function languageByName(name: string): string | undefined {
  const n = name.toLowerCase();
  const e = REGISTRY.find((x) => entryId(x) === n || entryAliases(x).includes(n));
  return e && entryId(e);
}

export function providerById(id: string): Provider<any> | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

/** Every path detection may read, for the gateway's include list. */
export function detectionReads(): string[] {
  const set = new Set<string>(["Procfile", "app.json", MIGETPACKS_TOML]);
  for (const e of REGISTRY) for (const p of e.kind === "provider" ? e.provider.reads : e.lang.markers) set.add(p);
  return [...set].sort();
}

/** Known config Env of every image the providers' plans use (for the CLI, which asks no daemon). */
export const IMAGE_ENV: Readonly<Record<string, readonly string[]>> = Object.assign({}, ...PROVIDERS.map((p) => p.imageEnv ?? {}));
