// Elixir: mix.exs facts (app, releases, deps, aliases, umbrella), versions
// (.elixir-version, .tool-versions with -otp-, .erlang-version), the dependency
// layer only when something is fetched, Phoenix assets, release vs Mix at run
// time, and USE_DHI keeping the official images with a warning.
import { describe, it, expect } from "vitest";
import path from "node:path";
import { buildPlan } from "../../src/pipeline/build-plan.js";
import { LocalContext } from "../../src/context/local-fs.js";
import { MemoryContext } from "../../src/context/memory-fs.js";
import { UserError } from "../../src/context/fs.js";
import { parseMixExs } from "../../src/providers/elixir/mixexs.js";
import type { BuildPlan } from "../../src/kit/schema.js";

const fixture = (n: string) => new LocalContext(path.resolve(__dirname, "../../fixtures", n));
const plan = async (ctx: LocalContext | MemoryContext, args: Record<string, string> = {}) => (await buildPlan(ctx, args)).plan;
const runs = (p: BuildPlan) => p.stages.flatMap((s) => s.steps.flatMap((st) => (st.kind === "run" ? [st] : [])));
const mixExs = (project: string, rest = "") => `defmodule App.MixProject do\n  use Mix.Project\n\n  def project do\n    [${project}]\n  end\n${rest}\nend\n`;

describe("mix.exs", () => {
  it("reads app, releases, deps (fetched or not) and aliases; comments never count", () => {
    const m = parseMixExs(
      mixExs(
        'app: :shop, version: "0.1.0", deps: deps(), aliases: aliases(), releases: [shop: [include_executables_for: [:unix]], admin: []]',
        '  defp deps do\n    [\n      {:phoenix, "~> 1.7"},\n      # {:ecto_sql, "~> 3.10"},\n      {:core, in_umbrella: true},\n      {:local, path: "../local"}\n    ]\n  end\n  defp aliases do\n    ["assets.deploy": ["esbuild default --minify", "phx.digest"], setup: ["deps.get"]]\n  end',
      ),
    );
    expect(m).toEqual({ app: "shop", appsPath: undefined, releases: ["shop", "admin"], deps: ["phoenix", "core", "local"], fetched: ["phoenix"], aliases: ["assets.deploy", "setup"] });
  });

  it("`releases: releases()` reads the function; an umbrella root has apps_path", () => {
    const m = parseMixExs(mixExs('apps_path: "apps", releases: releases()', "  defp releases do\n    [platform: [applications: [web: :permanent]]]\n  end"));
    expect(m).toMatchObject({ app: undefined, appsPath: "apps", releases: ["platform"] });
  });

  it("a file that is not a Mix project is one clear error naming mix.exs", () => {
    let e: unknown;
    try {
      parseMixExs("IO.puts :hello\n");
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toMatch(/^mix\.exs does not define a Mix project/);
  });
});

describe("versions", () => {
  const app = { "mix.exs": mixExs('app: :a, version: "0.1.0"') };
  it.each([
    [{}, {}, "1.18.4", "default", "elixir:1.18.4"],
    [{ ".elixir-version": "1.17.3\n" }, {}, "1.17.3", ".elixir-version", "elixir:1.17.3"],
    [{ ".tool-versions": "erlang 27.1\nelixir 1.17.3-otp-27\n" }, {}, "1.17.3-otp-27", ".tool-versions", "elixir:1.17.3-otp-27"],
    [{ ".tool-versions": "elixir 1.17.3\n", ".erlang-version": "26.2.5\n" }, {}, "1.17.3", ".tool-versions", "elixir:1.17.3-otp-26"],
    [{ ".elixir-version": "1.16.0" }, { ELIXIR_VERSION: "1.18.1" }, "1.18.1", "build arg ELIXIR_VERSION", "elixir:1.18.1"],
  ] as [Record<string, string>, Record<string, string>, string, string, string][])("%j %j → %s from %s (%s)", async (files, args, version, source, image) => {
    const p = await plan(new MemoryContext({ ...app, ...files }), args);
    expect(p.result).toMatchObject({ language: "elixir", version, versionSource: source });
    expect(p.stages[0]!.image).toBe(image);
    expect(p.runtime.image).toBe(`${image}-slim`);
  });

  it("a bad version names the file", async () => {
    await expect(buildPlan(new MemoryContext({ ...app, ".elixir-version": "latest" }), {})).rejects.toThrow(/^\.elixir-version asks for Elixir "latest"/);
  });
});

describe("plans", () => {
  it("a release without Hex dependencies: no dependency steps, the release alone ships and runs", async () => {
    const p = await plan(fixture("elixir-release"));
    expect(runs(p).map((r) => r.shell)).toEqual(["mix compile && mix release hello --overwrite"]);
    expect(p.stages[0]!.steps[0]).toMatchObject({ kind: "copy", include: ["mix.exs", "mix.lock", "config/**"] });
    expect(p.runtime).toMatchObject({ image: "elixir:1.14.0-slim", user: "1000:1000", cmd: ["/app/bin/hello", "start"], packages: [] });
    expect(p.runtime.copies).toEqual([{ stage: "build", src: "/build/_build/prod/rel/hello", dest: "/app", exclude: [] }]);
    expect(p.runtime.env).toEqual(expect.arrayContaining([["MIX_ENV", "prod"], ["HOME", "/home/miget"], ["PORT", "5000"]]));
  });

  it("Phoenix: deps fetched and compiled in their own layers (Hex cache mounted), assets.deploy, release, PHX_SERVER", async () => {
    const p = await plan(fixture("elixir-phoenix"));
    expect(p.result.framework).toBe("phoenix");
    const r = runs(p);
    expect(r.map((x) => x.name)).toEqual(["fetch dependencies (mix deps.get)", "compile dependencies", "compile and build the release"]);
    expect(r[0]!.shell).toBe("mix local.hex --force && mix local.rebar --force && mix deps.get --only prod");
    expect(r[0]!.caches).toEqual(["hex"]);
    expect(r[2]!.shell).toBe("mix compile && mix assets.deploy && mix release shop --overwrite");
    expect(p.caches.hex).toEqual({ id: "elixir-hex", target: "/root/.hex", sharing: "shared" });
    expect(p.runtime.env).toContainEqual(["PHX_SERVER", "true"]);
  });

  it("umbrella: every child's mix.exs joins the dependency layer; in-umbrella deps fetch nothing", async () => {
    const p = await plan(fixture("elixir-umbrella"));
    expect(p.stages[0]!.steps[0]).toMatchObject({ include: ["mix.exs", "mix.lock", "config/**", "apps/core/mix.exs", "apps/web/mix.exs"] });
    expect(runs(p).map((x) => x.shell)).toEqual(["mix compile && mix release platform --overwrite"]);
    expect(p.runtime.cmd).toEqual(["/app/bin/platform", "start"]);
  });

  it("without releases: `mix run --no-halt` with Mix's home and git in the runtime", async () => {
    const p = await plan(fixture("elixir-mix-run"));
    expect(p.runtime.cmd).toEqual(["mix", "run", "--no-halt"]);
    expect(p.runtime.packages).toEqual(["git"]);
    expect(p.runtime.copies.map((c) => c.dest)).toEqual(["/home/miget/.mix", "/app/deps", "/app"]);
    expect(p.runtime.env).toEqual(expect.arrayContaining([["MIX_HOME", "/home/miget/.mix"], ["HEX_HOME", "/home/miget/.hex"]]));
  });

  it("Phoenix without releases runs mix phx.server", async () => {
    const p = await plan(new MemoryContext({ "mix.exs": mixExs('app: :w, deps: deps()', '  defp deps, do: [{:phoenix, "~> 1.7"}]'), "mix.lock": "%{}" }));
    expect(p.runtime.cmd).toEqual(["mix", "phx.server"]);
  });

  it("USE_DHI keeps the official images, with a warning", async () => {
    const p = await plan(fixture("elixir-release"), { USE_DHI: "true" });
    expect(p.stages[0]!.image).toBe("elixir:1.14.0");
    expect(p.warnings.join()).toMatch(/USE_DHI=true: Elixir has no hardened image; the official images are used/);
  });

  it("mix.lock without mix.exs says what is missing", async () => {
    await expect(buildPlan(new MemoryContext({ "mix.lock": "%{}" }), {})).rejects.toThrow(/mix\.lock is here but mix\.exs is not/);
  });
});

describe("real-world Elixir shapes", () => {
  const phxDeps = '  defp deps do\n    [{:phoenix, "~> 1.7.14"}, {:bandit, "~> 1.5"}]\n  end\n  defp aliases do\n    ["assets.deploy": ["tailwind hello --minify", "esbuild hello --minify", "phx.digest"]]\n  end';

  it.each([
    // Heroku's Elixir buildpack config.
    [{ "elixir_buildpack.config": "# versions\nelixir_version=1.16.3\nerlang_version=26.2.5\n" }, "1.16.3", "elixir_buildpack.config", "elixir:1.16.3-otp-26"],
    [{ "elixir_buildpack.config": "elixir_version=v1.15.7\n" }, "1.15.7", "elixir_buildpack.config", "elixir:1.15.7"],
    // mise.
    [{ "mise.toml": '[tools]\nelixir = "1.17.3-otp-27"\nerlang = "27.1.2"\n' }, "1.17.3-otp-27", "mise.toml", "elixir:1.17.3-otp-27"],
    [{ ".mise.toml": '[tools]\nelixir = "1.17.3"\nerlang = "26.2"\n' }, "1.17.3", ".mise.toml", "elixir:1.17.3-otp-26"],
  ] as [Record<string, string>, string, string, string][])("%j → %s from %s (%s)", async (files, version, source, image) => {
    const p = await plan(new MemoryContext({ "mix.exs": mixExs('app: :a, version: "0.1.0"'), ...files }));
    expect(p.result).toMatchObject({ version, versionSource: source });
    expect(p.stages[0]!.image).toBe(image);
  });

  it("mix.exs `elixir:` requirement: the default when it satisfies it, else the line it asks for", async () => {
    const ok = await plan(new MemoryContext({ "mix.exs": mixExs('app: :a, elixir: "~> 1.14"') }));
    expect(ok.result).toMatchObject({ version: "1.18.4" });
    const newer = await plan(new MemoryContext({ "mix.exs": mixExs('app: :a, elixir: "~> 1.19"') }));
    expect(newer.result).toMatchObject({ version: "1.19", versionSource: "mix.exs elixir" });
    const older = await plan(new MemoryContext({ "mix.exs": mixExs('app: :a, elixir: "~> 1.15.0"') }));
    expect(older.result).toMatchObject({ version: "1.15", versionSource: "mix.exs elixir" });
    // A version file still wins.
    const pinned = await plan(new MemoryContext({ "mix.exs": mixExs('app: :a, elixir: "~> 1.19"'), ".elixir-version": "1.19.1" }));
    expect(pinned.result).toMatchObject({ version: "1.19.1", versionSource: ".elixir-version" });
  });

  it("Phoenix 1.7 after `mix phx.gen.release` (rel/overlays, no releases: key): a release of the app runs, with PHX_SERVER", async () => {
    const p = await plan(
      new MemoryContext({
        "mix.exs": mixExs('app: :hello, version: "0.1.0", aliases: aliases(), deps: deps()', phxDeps),
        "mix.lock": "%{}",
        "assets/js/app.js": "",
        "rel/overlays/bin/server": '#!/bin/sh\ncd -P -- "$(dirname -- "$0")"\nPHX_SERVER=true exec ./hello start\n',
        "rel/overlays/bin/migrate": "#!/bin/sh\n",
      }),
    );
    // Without a `releases:` key Mix knows the default release only unnamed (`mix release hello` is "Unknown release :hello").
    expect(runs(p).at(-1)!.shell).toBe("mix compile && mix assets.deploy && mix release --overwrite");
    expect(p.runtime.cmd).toEqual(["/app/bin/hello", "start"]);
    expect(p.runtime.env).toContainEqual(["PHX_SERVER", "true"]);
  });

  it("umbrella with a Phoenix child: framework phoenix, PHX_SERVER, the child's assets deployed in its folder", async () => {
    const p = await plan(
      new MemoryContext({
        "mix.exs": mixExs('apps_path: "apps", version: "0.1.0", deps: deps(), releases: [umb: [applications: [core: :permanent, web: :permanent]]]', "  defp deps, do: []"),
        "mix.lock": "%{}",
        "apps/core/mix.exs": mixExs('app: :core, deps: deps()', '  defp deps, do: [{:ecto_sql, "~> 3.10"}]'),
        "apps/web/mix.exs": mixExs('app: :web, deps: deps(), aliases: aliases()', phxDeps.replace('{:bandit, "~> 1.5"}', "{:core, in_umbrella: true}")),
        "apps/web/assets/js/app.js": "",
      }),
    );
    expect(p.result.framework).toBe("phoenix");
    expect(p.runtime.env).toContainEqual(["PHX_SERVER", "true"]);
    expect(runs(p).at(-1)!.shell).toBe("mix compile && (cd apps/web && mix assets.deploy) && mix release umb --overwrite");
  });
});
