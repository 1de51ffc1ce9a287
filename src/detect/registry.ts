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

export const REGISTRY: readonly Provider<any>[] = [
  denoProvider,
  rubyProvider,
  pythonProvider,
  goProvider,
  rustProvider,
  elixirProvider,
  scalaProvider,
  clojureProvider,
  kotlinProvider,
  javaProvider,
  phpProvider,
  dotnetProvider,
  bunProvider,
  nodejsProvider,
];

/** The registry itself: providers in detection order. */
export const PROVIDERS: readonly Provider<any>[] = REGISTRY;

/** Every language id, in detection order. */
export const LANGUAGES: readonly string[] = REGISTRY.map((p) => p.id);

/** A language id or one of its aliases (lower case) → the language id. */
export function languageByName(name: string): string | undefined {
  const n = name.toLowerCase();
  return REGISTRY.find((p) => p.id === n || (p.aliases ?? []).includes(n))?.id;
}

export function providerById(id: string): Provider<any> | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

// Computed once, at module load (in the frontend's snapshot): the registry never changes.
const DETECTION_READS: readonly string[] = Object.freeze([...new Set(["Procfile", "app.json", MIGETPACKS_TOML, ...REGISTRY.flatMap((p) => p.reads)])].sort());

/** Every path detection may read, for the gateway's include list. */
export function detectionReads(): readonly string[] {
  return DETECTION_READS;
}

/** Known config Env of every image the providers' plans use (for the CLI, which asks no daemon). */
export const IMAGE_ENV: Readonly<Record<string, readonly string[]>> = Object.assign({}, ...PROVIDERS.map((p) => p.imageEnv ?? {}));
