import { describe, it, expect } from "vitest";
import { UserError } from "../../src/context/fs.js";
import { parseYarnRc, pnpmWorkspacePackages } from "../../src/providers/nodejs/config-files.js";
import { hasStandaloneOutput, stripJsComments } from "../../src/providers/nodejs/nextjs.js";
import { workspaceManifestPatterns } from "../../src/providers/nodejs/index.js";

describe(".yarnrc.yml", () => {
  it.each([
    ["nodeLinker: pnp\n", { nodeLinker: "pnp", hasWorkspaceToolsPlugin: false }],
    ['nodeLinker: "node-modules"\n', { nodeLinker: "node-modules" }],
    ["nodeLinker: 'pnpm' # isolated\n", { nodeLinker: "pnpm" }],
    ["# nodeLinker: node-modules\nenableGlobalCache: false\n", { nodeLinker: undefined }],
    ["packageExtensions:\n  foo@*:\n    nodeLinker: node-modules\n", { nodeLinker: undefined }], // nested keys are not top-level settings
    ["yarnPath: .yarn/releases/yarn-3.6.4.cjs\r\nnodeLinker: node-modules\r\n", { yarnPath: ".yarn/releases/yarn-3.6.4.cjs", nodeLinker: "node-modules" }],
    ["plugins:\n  - path: .yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs\n    spec: \"@yarnpkg/plugin-workspace-tools\"\n", { hasWorkspaceToolsPlugin: true }],
    ["", { nodeLinker: undefined, yarnPath: undefined, hasWorkspaceToolsPlugin: false }],
  ] as [string, object][])("%j", (text, expected) => expect(parseYarnRc(text)).toMatchObject(expected));

  it("an unknown nodeLinker is a UserError naming .yarnrc.yml", () => {
    expect(() => parseYarnRc("nodeLinker: node_modules\n")).toThrow(UserError);
    expect(() => parseYarnRc("nodeLinker: node_modules\n")).toThrow(/\.yarnrc\.yml: nodeLinker "node_modules"/);
  });
});

describe("pnpm-workspace.yaml packages", () => {
  it.each([
    ["packages:\n  - 'packages/*'\n  - \"apps/*\"\n  - tools # a comment\n", ["packages/*", "apps/*", "tools"]],
    ["packages:\n- packages/*\n- '!**/test/**'\n", ["packages/*", "!**/test/**"]],
    ["packages: ['packages/*', \"apps/*\"]\n", ["packages/*", "apps/*"]],
    ["packages:\n  - packages/*\n\ncatalog:\n  react: ^19\n", ["packages/*"]],
    // A flow list over several lines, with a comment inside (a hand parser missed these).
    ["packages: [\n  'apps/*',\n  # 'old/*',\n  'packages/*',\n]\n", ["apps/*", "packages/*"]],
    ["onlyBuiltDependencies:\n  - esbuild\n", undefined], // settings only (pnpm 10), no workspace
    ["packages: []\n", undefined],
    ["# packages:\n#   - apps/*\n", undefined],
  ] as [string, string[] | undefined][])("%j", (text, expected) => expect(pnpmWorkspacePackages(text)).toEqual(expected));

  it("invalid YAML is a UserError naming the file and line", () => {
    expect(() => pnpmWorkspacePackages("packages:\n  - packages/*\ncatalog:\n  react: ^19\n  - not-a-package\n")).toThrow(/^pnpm-workspace\.yaml is not valid YAML: line \d/);
  });
});

describe(".yarnrc.yml plugins", () => {
  it("a comment that mentions the workspace-tools plugin is not the plugin", () => {
    expect(parseYarnRc("# plugins: plugin-workspace-tools was removed\nnodeLinker: node-modules\n").hasWorkspaceToolsPlugin).toBe(false);
  });
  it("a plugin entry (path or spec) is", () => {
    expect(parseYarnRc("plugins:\n  - path: .yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs\n    spec: '@yarnpkg/plugin-workspace-tools'\n").hasWorkspaceToolsPlugin).toBe(true);
    expect(parseYarnRc("plugins:\n  - .yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs\n").hasWorkspaceToolsPlugin).toBe(true);
  });
});

describe("workspace globs → manifest patterns", () => {
  it.each([
    [["packages/*"], ["packages/*/package.json"]],
    [["./apps/*/", "packages/**"], ["apps/*/package.json", "packages/**/package.json"]],
    [["tools/cli", "tools/cli"], ["tools/cli/package.json"]],
    [["!packages/private", "", "../outside", "/abs"], []],
  ])("%j", (globs, patterns) => expect(workspaceManifestPatterns(globs)).toEqual(patterns));
});

describe("Next.js output: 'standalone'", () => {
  const cases: [string, string, boolean][] = [
    ["object literal, single quotes", "module.exports = { output: 'standalone' };", true],
    ["double quotes, mjs", 'const nextConfig = {\n  output: "standalone",\n};\nexport default nextConfig;', true],
    ["template literal", "export default { output: `standalone` }", true],
    ["TypeScript with type", 'import type { NextConfig } from "next";\nconst nextConfig: NextConfig = { output: "standalone" };\nexport default nextConfig;', true],
    ["quoted key", 'module.exports = { "output": "standalone" }', true],
    ["assignment", "const config = {};\nconfig.output = 'standalone';\nmodule.exports = config;", true],
    ["function config", "module.exports = (phase) => ({ reactStrictMode: true, output: 'standalone' });", true],
    ["line comment", "module.exports = {\n  // output: 'standalone',\n};", false],
    ["trailing line comment", "module.exports = { reactStrictMode: true }; // output: 'standalone'", false],
    ["block comment", "module.exports = {\n  /* output: 'standalone', */\n  reactStrictMode: true,\n};", false],
    ["JSDoc block", "/**\n * output: 'standalone'\n */\nmodule.exports = {};", false],
    ["export output", "module.exports = { output: 'export' };", false],
    ["other key ending in output", "module.exports = { distOutput: 'standalone', outputFileTracing: 'standalone' };", false],
    ["conditional", "module.exports = { output: process.env.STANDALONE ? 'standalone' : undefined };", false],
    ["// inside a string is not a comment", "const u = 'https://example.invalid/x'; module.exports = { output: 'standalone' };", true],
    ["commented-out line before the live one", "module.exports = {\n  // output: 'export',\n  output: \"standalone\",\n};", true],
  ];
  it.each(cases)("%s", (_n, src, expected) => expect(hasStandaloneOutput(src)).toBe(expected));

  it("stripJsComments keeps strings and code", () => {
    expect(stripJsComments("a = '// no' /* x */ + \"/* no */\" // tail\nb")).toBe("a = '// no'   + \"/* no */\" \nb");
  });
});
