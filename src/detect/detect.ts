// detect(): walks the registry in order and returns the first language whose
// markers are present, with the facts its provider gathered.
import { isFile, UserError, type BuildContext } from "../context/fs.js";
import { noLanguageMessage } from "../context/explain.js";
import type { BuildArgs } from "../options/build-args.js";
import type { DetectSummary, Provider } from "../kit/provider.js";
import { REGISTRY, LANGUAGES, entryId, entryMarkers, languageByName, type Entry } from "./registry.js";

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
  const entry = forced ? REGISTRY.find((e) => entryId(e) === forced) : await firstMatch(ctx);
  if (!entry) {
    throw new NoLanguageError(await noLanguageMessage(ctx, [...new Set(REGISTRY.flatMap(entryMarkers))]));
  }
  if (entry.kind === "recognised") {
    const how = forced ? "was requested with LANGUAGE" : `was detected (${await presentMarker(ctx, entry)})`;
    throw new NoLanguageError(`${entry.lang.name} ${how}, but this version of migetpacks cannot build ${entry.lang.name} apps yet.`);
  }
  const facts = await entry.provider.facts(ctx, args);
  return { provider: entry.provider, facts, summary: entry.provider.summary(facts) };
}

export async function firstMatch(ctx: BuildContext): Promise<Entry | undefined> {
  for (const e of REGISTRY) {
    if (e.kind === "provider" ? await e.provider.matches(ctx) : await presentMarker(ctx, e)) return e;
  }
  return undefined;
}

async function presentMarker(ctx: BuildContext, e: Entry): Promise<string | undefined> {
  for (const m of entryMarkers(e)) if (await isFile(ctx, m)) return m;
  return undefined;
}
