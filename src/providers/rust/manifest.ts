// The parts of a Cargo.toml that shape a build: the package (name,
// default-run, rust-version, edition, autobins), declared targets, and the
// workspace table. Everything else cargo reads stays cargo's business.
import * as z from "../../lib/zod.js";
import { UserError, type BuildContext } from "../../context/fs.js";
import { readToml } from "../../manifest/toml.js";

/** `rust-version.workspace = true`: the value lives in the root's [workspace.package]. */
const Inherited = z.object({ workspace: z.literal(true) });
const Inheritable = z.union([z.string(), Inherited]);

/**
 * A crate or binary name becomes a path (`target/release/<name>`) and the
 * image's command (`./<name>`): cargo allows only letters, digits, - and _,
 * so `../../../etc/x` is refused here before it reaches a command.
 */
const CrateName = z.string().regex(/^[\p{L}\p{N}_-]{1,128}$/u, "a name may hold only letters, digits, - and _");
const Target = z.object({ name: CrateName.optional(), path: z.string().optional() });

const Schema = z.object({
  package: z
    .object({
      name: CrateName,
      "default-run": CrateName.optional(),
      "rust-version": Inheritable.optional(),
      edition: Inheritable.optional(),
      autobins: z.boolean().optional(),
    })
    .optional(),
  bin: z.array(Target).optional(),
  example: z.array(Target).optional(),
  test: z.array(Target).optional(),
  bench: z.array(Target).optional(),
  workspace: z
    .object({
      members: z.array(z.string()).optional(),
      exclude: z.array(z.string()).optional(),
      "default-members": z.array(z.string()).optional(),
      package: z.object({ "rust-version": z.string().optional(), edition: z.string().optional() }).optional(),
    })
    .optional(),
});

export interface CargoTarget {
  name: string;
  path?: string;
}

export interface CargoPackage {
  name: string;
  defaultRun?: string;
  /** As written; `"workspace"` when inherited from the root's [workspace.package]. */
  rustVersion?: string;
  edition?: string;
  autobins?: boolean;
}

export interface CargoWorkspace {
  members: string[];
  exclude: string[];
  defaultMembers?: string[];
  rustVersion?: string;
  edition?: string;
}

export interface CargoManifest {
  /** Path of the manifest from the context root (`Cargo.toml`, `crates/app/Cargo.toml`). */
  file: string;
  /** Its folder ("" for the root). */
  dir: string;
  package?: CargoPackage;
  bins: CargoTarget[];
  /**
   * Files cargo insists on when it merely loads the manifest (targets declared
   * without a path), relative to `dir`: `cargo fetch` needs them to exist.
   */
  requiredFiles: string[];
  workspace?: CargoWorkspace;
}

/** Reads and checks one Cargo.toml; undefined when the file does not exist. */
export async function readManifest(ctx: BuildContext, file: string): Promise<CargoManifest | undefined> {
  const doc = await readToml(ctx, file);
  return doc === undefined ? undefined : toManifest(doc, file);
}

export function toManifest(doc: unknown, file: string): CargoManifest {
  const res = Schema.safeParse(doc);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    throw new UserError(`${file}: \`${issue.path.join(".")}\` is invalid (${issue.message}); cargo would refuse this manifest too.`, file);
  }
  const m = res.data;
  const pkg = m.package;
  return {
    file,
    dir: file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "",
    package: pkg && {
      name: pkg.name,
      defaultRun: pkg["default-run"],
      rustVersion: inheritable(pkg["rust-version"]),
      edition: inheritable(pkg.edition),
      autobins: pkg.autobins,
    },
    bins: named(m.bin ?? [], "bin", file),
    requiredFiles: requiredFiles(m, pkg?.name, file),
    workspace: m.workspace && {
      members: m.workspace.members ?? [],
      exclude: m.workspace.exclude ?? [],
      defaultMembers: m.workspace["default-members"],
      rustVersion: m.workspace.package?.["rust-version"],
      edition: m.workspace.package?.edition,
    },
  };
}

function inheritable(v: string | { workspace: true } | undefined): string | undefined {
  return typeof v === "object" ? "workspace" : v;
}

function named(targets: z.infer<typeof Target>[], kind: string, file: string): CargoTarget[] {
  return targets.map((t) => {
    if (!t.name) throw new UserError(`${file}: a [[${kind}]] section has no \`name\`; cargo requires one for every [[${kind}]].`, file);
    return { name: t.name, path: t.path };
  });
}

// Where cargo looks for a target declared without `path` (it stops loading the manifest if none exists).
const TARGET_DIRS = { example: "examples", test: "tests", bench: "benches" } as const;

function requiredFiles(m: z.infer<typeof Schema>, pkgName: string | undefined, file: string): string[] {
  const out: string[] = [];
  for (const b of named(m.bin ?? [], "bin", file)) {
    if (!b.path) out.push(b.name === pkgName ? "src/main.rs" : `src/bin/${b.name}.rs`);
  }
  // `default-run` must name a target cargo can see while loading the manifest: an auto-discovered
  // binary needs its file (src/main.rs for the package's own name, else src/bin/<name>.rs).
  const defaultRun = m.package?.["default-run"];
  if (defaultRun && !(m.bin ?? []).some((b) => b.name === defaultRun)) out.push(defaultRun === pkgName ? "src/main.rs" : `src/bin/${defaultRun}.rs`);
  for (const kind of ["example", "test", "bench"] as const) {
    for (const t of named(m[kind] ?? [], kind, file)) if (!t.path) out.push(`${TARGET_DIRS[kind]}/${t.name}.rs`);
  }
  return out;
}
