// The provider kit's promises: a language is one folder registered with one
// line. Outside src/providers/<lang>/ and the registry, no source file names a
// language (its id, an alias, or one of its images); every provider's sample
// app plans; detect and plan report the same facts.
import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { builtinModules } from "node:module";
import { PROVIDERS, REGISTRY, LANGUAGES } from "../../src/detect/registry.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { LocalContext } from "../../src/context/local-fs.js";

const ROOT = path.resolve(__dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === "generated" ? [] : sourceFiles(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

/** Every string literal (and template text) in a file, with its line, except import specifiers. */
function stringsOf(file: string): { text: string; line: number }[] {
  const src = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const out: { text: string; line: number }[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) return;
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) {
      out.push({ text: n.text, line: src.getLineAndCharacterOfPosition(n.getStart()).line + 1 });
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

/** Names that belong to one language: ids, aliases, and the repositories of its images. */
function languageNames(): { word: Set<string>; repos: string[] } {
  const word = new Set<string>(LANGUAGES);
  const repos = new Set<string>();
  for (const p of REGISTRY) for (const a of p.aliases ?? []) word.add(a);
  for (const p of PROVIDERS) {
    if (p.hardened && "repo" in p.hardened) for (const r of [...p.hardened.official, `dhi.io/${p.hardened.repo}`]) repos.add(r);
    for (const ref of Object.keys(p.imageEnv ?? {})) repos.add(ref.replace(/^docker\.io\/(library\/)?/, ""));
  }
  return { word, repos: [...repos] };
}

describe("a language is one folder", () => {
  it("no source outside src/providers/<lang>/ and the registry names a language or its images", () => {
    const { word, repos } = languageNames();
    const allowed = (f: string) => f.startsWith("src/providers/") || f === "src/detect/registry.ts";
    const files = [...sourceFiles(path.join(ROOT, "src")), ...sourceFiles(path.join(ROOT, "frontend"))].map((f) => path.relative(ROOT, f)).filter((f) => !allowed(f));
    const hits: string[] = [];
    for (const f of files) {
      for (const { text, line } of stringsOf(path.join(ROOT, f))) {
        const t = text.trim().toLowerCase();
        if (t.startsWith("node:") && builtinModules.includes(t.slice(5))) continue; // Node.js's own modules
        if (word.has(t)) hits.push(`${f}:${line} "${text}" (a language id)`);
        for (const r of repos) if (new RegExp(`(^|[\\s/"'=])${r.replace(/[.]/g, "\\.")}:[\\w$.{-]`).test(text)) hits.push(`${f}:${line} "${text}" (image ${r})`);
      }
    }
    expect(hits).toEqual([]);
  });

  it("the check itself finds a language id and an image name", () => {
    const { word, repos } = languageNames();
    expect(word.has("go") && word.has("golang") && word.has("nodejs")).toBe(true);
    expect(repos).toEqual(expect.arrayContaining(["golang", "node", "oven/bun"]));
  });

  it("each provider folder holds its stand-in recipe", () => {
    for (const p of PROVIDERS) {
      const dir = path.join(ROOT, "src/providers", p.id);
      expect(readdirSync(dir), `src/providers/${p.id}/standin.sh`).toContain("standin.sh");
    }
  });
});

describe("every provider", () => {
  it.each(PROVIDERS.map((p) => [p.id, p] as const))("%s: its sample app plans as that language (it warms the frontend's snapshot)", async (id, p) => {
    expect(p.sample, `${id} has a sample`).toBeDefined();
    const { plan } = await buildPlan(new MemoryContext({ ...p.sample }), {});
    expect(plan.result.language).toBe(id);
  });
});

describe("detect and plan derive from the same facts", () => {
  const fixtures = readdirSync(path.join(ROOT, "fixtures"));
  it.each(fixtures)("%s", async (name) => {
    const { detection, plan } = await buildPlan(new LocalContext(path.join(ROOT, "fixtures", name)), {});
    const s = detection.summary;
    expect({ language: plan.result.language, version: plan.result.version, versionSource: plan.result.versionSource, packageManager: plan.result.packageManager, framework: plan.result.framework }).toEqual({
      language: s.language,
      version: s.version,
      versionSource: s.versionSource,
      packageManager: s.packageManager,
      framework: s.framework,
    });
  });
});
