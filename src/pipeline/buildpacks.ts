// BUILDPACKS (first = primary) and app.json `buildpacks` (Heroku order: last =
// primary), mapped from buildpack names/URLs to our language ids (the
// languages' own aliases come from the registry).
import { languageByName } from "../detect/registry.js";

/** `heroku/nodejs`, `miget/go`, `nodejs`, a git URL ending in the name... → a language id, or undefined. */
export function mapBuildpack(raw: string): string | undefined {
  const last = raw.trim().replace(/\.git$/, "").replace(/\/+$/, "").split("/").pop()!.toLowerCase();
  const name = last.replace(/^heroku-buildpack-/, "");
  return languageByName(name);
}

export interface BuildpackOrder {
  primary?: string;
  additional: string[];
}

export function buildpackOrder(buildpacksArg: string | undefined, appJson: string[] | undefined): BuildpackOrder {
  if (buildpacksArg?.trim()) {
    const ids = buildpacksArg.split(",").map((b) => mapBuildpack(b)).filter((x): x is string => !!x);
    return { primary: ids[0], additional: [...new Set(ids.slice(1))].filter((x) => x !== ids[0]) };
  }
  if (appJson?.length) {
    const ids = appJson.map(mapBuildpack).filter((x): x is string => !!x);
    const primary = ids.at(-1);
    return { primary, additional: [...new Set(ids.slice(0, -1))].filter((x) => x !== primary) };
  }
  return { additional: [] };
}
