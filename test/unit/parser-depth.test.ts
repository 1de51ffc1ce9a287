// Issue 11, defect 3: a deno.json or deno.jsonc nested 5,000 levels deep gave
// "internal error: Maximum call stack size exceeded". Every parser bounds depth
// and the message names the file.
import { describe, it, expect } from "vitest";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { UserError } from "../../src/context/fs.js";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { checkNesting } from "../../src/context/nesting.js";

const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
const N = 5000;

async function failure(files: Record<string, string>): Promise<unknown> {
  return buildPlan(new MemoryContext(files), {}).then(
    () => undefined,
    (e) => e,
  );
}

describe("deeply nested manifests", () => {
  it.each([
    ["deno.json", { "deno.json": `{"x": ${deep(N)}}` }],
    ["deno.jsonc", { "deno.jsonc": `// c\n{"x": ${deep(N)}}` }],
    ["package.json", { "package.json": `{"name":"a","x": ${deep(N)}}` }],
    ["app.json", { "package.json": `{"name":"a"}`, "app.json": `{"x": ${deep(N)}}` }],
    ["migetpacks.toml", { "package.json": `{"name":"a"}`, "migetpacks.toml": `x = ${deep(N)}\n` }],
    ["Cargo.toml", { "Cargo.toml": `[package]\nname = "a"\nx = ${deep(N)}\n` }],
  ])("%s nested 5,000 levels deep is a UserError naming the file", async (file, files) => {
    const e = await failure(files as Record<string, string>);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toContain(file);
    expect((e as Error).message).not.toMatch(/call stack/i);
  });

  it("names the line where the limit is passed, and ignores brackets in strings and comments", () => {
    expect(() => checkNesting(`{\n"a":\n${deep(300)}}`, "deno.json")).toThrow(/deno\.json:3: nested more than 256 levels/);
    expect(() => checkNesting(`{"a": "${"[".repeat(1000)}", /* ${"{".repeat(1000)} */ "b": 1} // ${"[".repeat(1000)}`, "x.json")).not.toThrow();
    expect(() => checkNesting(deep(256), "x.json")).not.toThrow();
  });
});
