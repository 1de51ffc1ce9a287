// Elixir: dependencies fetched and compiled from mix.exs, mix.lock and config/
// alone (only when the project has any), then the source compiled; Phoenix
// assets digested; with `releases:` a self-contained release runs as
// `/app/bin/<name> start`, otherwise `mix phx.server` / `mix run --no-halt`
// with Hex, Mix and git in the runtime (as the seed documents).
import * as z from "../../lib/zod.js";
import { isFile, readText, readVersionFile, UserError, type BuildContext } from "../../context/fs.js";
import { parseArgs, type BuildArgs } from "../../options/build-args.js";
import type { CopyStep, RunStep } from "../../kit/schema.js";
import type { PlanInput, Provider, ProviderPlan } from "../../kit/provider.js";
import { selectWebCommand } from "../../kit/run-command.js";
import { standardRuntime, webResult } from "../../kit/result.js";
import { COMMON_RUNTIME_EXCLUDES } from "../../kit/cleanup.js";
import { DEFAULT_PATH } from "../../kit/image-env.js";
import { pickVersion } from "../../kit/version-pick.js";
import { parseMixExs, type MixProject } from "./mixexs.js";
import { parseBuildpackConfig, versionForRequirement } from "./version.js";
import { toolVersion, TOOL_VERSION_FILES } from "../../manifest/tool-versions.js";

const ElixirSettings = z.object({
  ELIXIR_VERSION: z.string().trim().optional(),
  ERLANG_VERSION: z.string().trim().optional(),
  MIX_ENV: z.string().trim().regex(/^[a-z_]+$/, "must be a Mix environment name such as prod").optional(),
});

export const DEFAULT_ELIXIR = "1.18.4";

export interface ElixirFacts {
  mix: MixProject;
  /** Image tag: `1.18.4`, or `1.17.3-otp-27` when the Erlang/OTP major is pinned. */
  tag: string;
  version: { version: string; source: string };
  otp?: { version: string; source: string };
  hasLock: boolean;
  hasConfig: boolean;
  hasAssets: boolean;
  umbrellaApps: string[];
  /** Umbrella children's dependencies that must be fetched. */
  childFetched: string[];
  /** Umbrella children that are Phoenix apps: their folder, whether they have assets/ and an `assets.deploy` alias. */
  phoenixChildren: { dir: string; assets: boolean; assetsDeploy: boolean }[];
  /** rel/ holds a release setup (`mix phx.gen.release`): a release of the app is built even without `releases:`. */
  relDir: boolean;
  mixEnv: string;
}

/** Elixir images are tagged `<elixir>` or `<elixir>-otp-<major>`; asdf writes the same form in .tool-versions. */
function resolveElixir(raw: string): { ok: true; version: string } | { ok: false; reason: string } {
  const v = raw.replace(/^v/, "");
  return /^\d+\.\d+(\.\d+)?(-otp-\d+)?$/.test(v) ? { ok: true, version: v } : { ok: false, reason: "not an Elixir version" };
}

/** Files whose presence means `mix phx.gen.release` (or a hand-made rel/) set up a release of the app. */
const RELEASE_FILES = ["rel/overlays/bin/server", "rel/overlays/bin/migrate", "rel/env.sh.eex", "rel/vm.args.eex"];
/** Phoenix 1.7's asset sources (esbuild and tailwind run from Mix, so assets/ often has no package.json). */
const ASSET_FILES = ["assets/package.json", "assets/js/app.js", "assets/css/app.css"];

export const elixirProvider: Provider<ElixirFacts> = {
  id: "elixir",
  name: "Elixir",
  markers: ["mix.exs", "mix.lock"],
  options: Object.keys(ElixirSettings.shape),
  reads: ["mix.exs", "mix.lock", ".elixir-version", ".erlang-version", "elixir_buildpack.config", ...TOOL_VERSION_FILES, "apps/*/mix.exs", "config/config.exs", ...ASSET_FILES, ...ASSET_FILES.map((f) => `apps/*/${f}`), ...RELEASE_FILES],
  hardened: { unsupported: "Elixir has no hardened image" },
  imageEnv: { "docker.io/library/elixir": [`PATH=${DEFAULT_PATH}`, "LANG=C.UTF-8"] },
  sample: { "mix.exs": 'defmodule App.MixProject do\n  use Mix.Project\n  def project, do: [app: :app, version: "0.1.0", releases: [app: []]]\nend\n', "lib/app.ex": "defmodule App do\nend\n" },

  async matches(ctx) {
    return (await isFile(ctx, "mix.exs")) || (await isFile(ctx, "mix.lock"));
  },

  async facts(ctx: BuildContext, args: BuildArgs): Promise<ElixirFacts> {
    const s = parseArgs(ElixirSettings, args);
    const text = await readText(ctx, "mix.exs");
    if (text === undefined) throw new UserError("mix.lock is here but mix.exs is not: an Elixir app needs its mix.exs at the root of the build context.", "mix.exs");
    const mix = parseMixExs(text);
    const buildpack = parseBuildpackConfig(await readText(ctx, "elixir_buildpack.config"));
    const miseElixir = await toolVersion(ctx, "elixir");
    const miseErlang = await toolVersion(ctx, "erlang");
    const version = pickVersion(
      "Elixir",
      [
        { raw: s.ELIXIR_VERSION, source: "build arg ELIXIR_VERSION" },
        { raw: await readVersionFile(ctx, ".elixir-version"), source: ".elixir-version" },
        { raw: miseElixir?.version, source: miseElixir?.file ?? ".tool-versions" },
        { raw: buildpack.elixir, source: "elixir_buildpack.config" },
        { raw: mix.elixir ? (versionForRequirement(mix.elixir, DEFAULT_ELIXIR) ?? mix.elixir) : undefined, source: "mix.exs elixir" },
      ],
      resolveElixir,
      DEFAULT_ELIXIR,
      "Use a version such as 1.18.4 or 1.17.3-otp-27",
    );
    const erlangVersionFile = await readVersionFile(ctx, ".erlang-version");
    const otpPick = [
      { raw: s.ERLANG_VERSION, source: "build arg ERLANG_VERSION" },
      { raw: erlangVersionFile, source: ".erlang-version" },
      { raw: miseErlang?.version, source: miseErlang?.file ?? ".tool-versions" },
      { raw: buildpack.erlang, source: "elixir_buildpack.config" },
    ].find((c) => c.raw?.trim());
    const otpRaw = otpPick?.raw?.trim().replace(/^OTP-/i, "");
    const otp = otpRaw && /^\d+(\.\d+)*$/.test(otpRaw) ? { version: otpRaw, source: otpPick!.source } : undefined;
    const umbrellaApps: string[] = [];
    const childFetched: string[] = [];
    const phoenixChildren: ElixirFacts["phoenixChildren"] = [];
    const appsDir = mix.appsPath ?? "apps";
    for (const e of (await ctx.readDir(appsDir)) ?? []) {
      const child = e.kind === "dir" ? await readText(ctx, `${appsDir}/${e.name}/mix.exs`) : undefined;
      if (child === undefined) continue;
      umbrellaApps.push(e.name);
      const childMix = parseMixExs(child);
      childFetched.push(...childMix.fetched);
      const dir = `${appsDir}/${e.name}`;
      if (isPhoenix(childMix)) phoenixChildren.push({ dir, assets: (await ctx.stat(`${dir}/assets`))?.kind === "dir", assetsDeploy: childMix.aliases.includes("assets.deploy") });
    }
    let relDir = false;
    for (const f of RELEASE_FILES) relDir ||= await isFile(ctx, f);
    return {
      mix,
      version,
      otp,
      // An OTP pin picks the image built on it, unless the Elixir tag already names one.
      tag: otp && !version.version.includes("-otp-") ? `${version.version}-otp-${otp.version.split(".")[0]}` : version.version,
      hasLock: await isFile(ctx, "mix.lock"),
      hasConfig: (await ctx.stat("config"))?.kind === "dir",
      hasAssets: (await ctx.stat("assets"))?.kind === "dir",
      umbrellaApps,
      childFetched,
      phoenixChildren,
      relDir,
      mixEnv: s.MIX_ENV ?? "prod",
    };
  },

  summary(f) {
    return { language: "elixir", version: f.version.version, versionSource: f.version.source, packageManager: "mix", framework: isPhoenix(f.mix) || f.phoenixChildren.length ? "phoenix" : undefined };
  },

  plan(input) {
    return planElixir(input);
  },
};

function isPhoenix(mix: MixProject): boolean {
  return mix.deps.includes("phoenix");
}

/** Whether `mix deps.get` has anything to fetch (Hex packages or git); path and in-umbrella deps need none. */
function hasDeps(f: ElixirFacts): boolean {
  return f.hasLock || f.mix.fetched.length > 0 || f.childFetched.length > 0;
}

function planElixir({ facts, common, procfile }: PlanInput<ElixirFacts>): ProviderPlan {
  const { mix } = facts;
  const warnings: string[] = [];
  const env = facts.mixEnv;
  const phoenix = isPhoenix(mix) || facts.phoenixChildren.length > 0;
  // `mix release` needs no `releases:` key: without one it builds a release named after the app, as `mix phx.gen.release` expects.
  const release = mix.releases[0] ?? (facts.relDir && mix.app ? mix.app : undefined);
  if (mix.releases.length > 1) warnings.push(`mix.exs defines several releases (${mix.releases.join(", ")}); building and running ${release}.`);

  // 1. What dependency resolution reads: mix.exs, mix.lock, config/ and (umbrella) each app's mix.exs, at their places.
  const manifests: CopyStep = {
    kind: "copy",
    name: "copy mix files",
    from: "context",
    paths: ["."],
    include: ["mix.exs", "mix.lock", "config/**", ...facts.umbrellaApps.map((a) => `${mix.appsPath ?? "apps"}/${a}/mix.exs`)],
    dest: "/build",
  };
  const depSteps: RunStep[] = hasDeps(facts)
    ? [
        { kind: "run", name: "fetch dependencies (mix deps.get)", shell: `mix local.hex --force && mix local.rebar --force && mix deps.get --only ${env}`, caches: ["hex"], env: [] },
        { kind: "run", name: "compile dependencies", shell: "mix deps.compile", caches: ["hex"], env: [] },
      ]
    : [];

  // 2. The app: compile, Phoenix assets, the release.
  const build: string[] = [];
  if (common.buildCommand) build.push(common.buildCommand);
  else {
    build.push("mix compile");
    if (isPhoenix(mix) && facts.hasAssets) build.push(mix.aliases.includes("assets.deploy") ? "mix assets.deploy" : "mix phx.digest");
    else if (isPhoenix(mix)) build.push("{ [ ! -d priv/static ] || mix phx.digest; }");
    // An umbrella's aliases live in its children: each Phoenix child deploys its assets in its own folder.
    for (const c of facts.phoenixChildren) if (c.assets) build.push(`(cd ${c.dir} && mix ${c.assetsDeploy ? "assets.deploy" : "phx.digest"})`);
    // The default release (no `releases:` key) is built unnamed: Mix knows no release by the app's name then.
    if (release) build.push(mix.releases.length ? `mix release ${release} --overwrite` : "mix release --overwrite");
  }
  const relDir = release ? `/build/_build/${env}/rel/${release}` : undefined;
  const useRelease = Boolean(relDir && !common.buildCommand);

  const defaultCmd = useRelease ? `/app/bin/${release} start` : phoenix ? "mix phx.server" : "mix run --no-halt";
  const web = selectWebCommand(common.runCommand, procfile, defaultCmd);
  const runtimeEnv: [string, string][] = [["MIX_ENV", env], ["HOME", "/home/miget"], ["LANG", "C.UTF-8"]];
  if (phoenix) runtimeEnv.push(["PHX_SERVER", "true"]);
  if (!useRelease) runtimeEnv.push(["HEX_HOME", "/home/miget/.hex"], ["MIX_HOME", "/home/miget/.mix"]);

  const copies = useRelease
    ? [{ stage: "build", src: relDir!, dest: "/app", exclude: [] }]
    : [
        // Mix runs the app: its home (Hex and Rebar archives) ships; a wildcard, absent when nothing was fetched.
        { stage: "build", src: "/root/.mi[x]", dest: "/home/miget/.mix", exclude: [] },
        { stage: "build", src: "/build/dep[s]", dest: "/app/deps", exclude: [] },
        { stage: "build", src: "/build", dest: "/app", exclude: [...COMMON_RUNTIME_EXCLUDES, "deps", ".elixir_ls", "test", "cover"] },
      ];

  return {
    schema: 2,
    result: { packageManager: "mix", framework: phoenix ? "phoenix" : undefined, ...webResult(web.command, common, procfile) },
    // Hex's package cache is a cache mount; MIX_HOME holds the Hex and Rebar archives Mix needs later, so it stays in the layer.
    caches: { hex: { id: "elixir-hex", target: "/root/.hex", sharing: "shared" } },
    stages: [
      {
        name: "build",
        image: `elixir:${facts.tag}`,
        // Native (NIF) dependencies compile here: the target platform.
        workdir: "/build",
        env: [["MIX_ENV", env], ["ERL_FLAGS", "-noinput"], ["HEX_HOME", "/root/.hex"], ["MIX_HOME", "/root/.mix"], ["LANG", "C.UTF-8"]],
        steps: [manifests, ...depSteps, { kind: "copy", name: "copy source", from: "context", paths: ["."], dest: "/build", exclude: ["_build", "deps", ".elixir_ls"] }, { kind: "run", name: release && !common.buildCommand ? "compile and build the release" : "compile", shell: build.join(" && "), caches: hasDeps(facts) ? ["hex"] : [], env: [] }],
      },
    ],
    runtime: standardRuntime({
      image: `elixir:${facts.tag}-slim`,
      // Without a release the app runs through Mix, which checks git dependencies with git.
      packages: useRelease ? [] : ["git"],
      copies,
      command: web.command,
      common,
      env: runtimeEnv,
    }),
    warnings,
  };
}
