// Golden plans: every fixture's plan is checked in, so any change in what we
// generate shows up in review. Update deliberately with `npx vitest -u`.
import { describe, it, expect } from "vitest";
import { readdirSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { LocalContext } from "../../src/context/local-fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";

const FIXTURES = path.resolve(__dirname, "../../fixtures");

/** Optional per-fixture build args, in fixtures/<name>/.migetpacks-test.json {"buildArgs": {...}}. */
function buildArgsFor(dir: string): Record<string, string> {
  const f = path.join(dir, ".migetpacks-test.json");
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")).buildArgs ?? {}) : {};
}

describe("golden plans", () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    it(name, async () => {
      const dir = path.join(FIXTURES, name);
      const { plan } = await buildPlan(new LocalContext(dir), buildArgsFor(dir));
      await expect(JSON.stringify(plan, null, 2) + "\n").toMatchFileSnapshot(`__snapshots__/${name}.plan.json`);
    });
  }
});
