// detect(): walks the registry in order and returns the first language whose
// markers are present, with the facts its provider gathered.
import { UserError, type BuildContext } from "../context/fs.js";
import { noLanguageMessage } from "../context/explain.js";
import type { BuildArgs } from "../options/build-args.js";
import type { DetectSummary, Provider } from "../kit/provider.js";
import { REGISTRY, LANGUAGES, languageByName } from "./registry.js";

export interface Detection {
  provider: Provider<unknown>;
  facts: unknown;
  summary: DetectSummary;
}

/** No language we can build: the CLI exits 2, the frontend returns NotFound. */
export class NoLanguageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoLanguageError";
  }
}

export function parseLanguage(raw: string): string {
  const id = languageByName(raw.trim().replace(/\s*\(.*\)$/, ""));
  if (id) return id;
  throw new UserError(`build arg LANGUAGE=${JSON.stringify(raw)} is not a language; use one of: ${LANGUAGES.join(", ")}.`);
}

export async function detect(ctx: BuildContext, args: BuildArgs): Promise<Detection> {
  const forced = args.LANGUAGE?.trim() ? parseLanguage(args.LANGUAGE) : undefined;
  const provider = forced ? REGISTRY.find((p) => p.id === forced) : await firstMatch(ctx);
  if (!provider) {
    throw new NoLanguageError(await noLanguageMessage(ctx, [...new Set(REGISTRY.flatMap((p) => p.markers))]));
  }
  const facts = await provider.facts(ctx, args);
  return { provider, facts, summary: provider.summary(facts) };
}

export async function firstMatch(ctx: BuildContext): Promise<Provider<unknown> | undefined> {
  for (const p of REGISTRY) if (await p.matches(ctx)) return p;
  return undefined;
}
