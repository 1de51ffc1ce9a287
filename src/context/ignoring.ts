// A BuildContext that hides what .dockerignore excludes. The frontend's
// transfer is already filtered by BuildKit; wrapping both it and the CLI's
// local disk in this one class gives the CLI the same view (an ignored
// app.json no longer plans in `migetpacks llb`), and lets either say which
// pattern hid a file when detection finds nothing.
import type { Ignore } from "@balena/dockerignore";
import { rootRelative } from "./clean-path.js";
import { Memo } from "../lib/memo.js";
import { readHead, UserError, type BuildContext, type DirEntry } from "./fs.js";
import { defaultExcludes, firstInvalid, matcher } from "./dockerignore.js";

/**
 * What detection sees of a context: nothing the project's .dockerignore patterns
 * (`excludes`) hide, and nothing the default patterns hide either (.git,
 * node_modules, .venv, target/release, ...), whatever the .dockerignore says: no
 * detection file lives there (a test holds every declared read to that), and a
 * package in node_modules must never make a Node.js app look like .NET. It is
 * also what lets the frontend load the detection files in one transfer, with the
 * defaults, before it has read the .dockerignore. The CLI and the frontend both
 * read through this view; what the build copies follows the .dockerignore alone.
 */
export function detectionView(ctx: BuildContext, projectPath: string, excludes: readonly string[]): IgnoringContext {
  return new IgnoringContext(new IgnoringContext(ctx, defaultExcludes(projectPath)), excludes);
}

const matchers = new Memo<Ignore>();

/**
 * One matcher per pattern list, built once per process (a matcher never changes):
 * a build views its context several times, and the default patterns' matcher is
 * already built in the frontend's start-up snapshot. Patterns from .dockerignore
 * were checked when read; PROJECT_PATH prefixes them, so they are checked again.
 */
function checkedMatcher(patterns: readonly string[]): Ignore {
  return matchers.get(patterns.join("\n"), () => {
    const bad = firstInvalid(patterns.map((p) => p.replace(/^!/, "")));
    if (bad) throw new UserError(`exclude pattern ${JSON.stringify(patterns[bad.index])} (.dockerignore, under PROJECT_PATH) is invalid: ${bad.problem}; rename the folder or fix the pattern.`);
    return matcher(patterns);
  });
}

export class IgnoringContext implements BuildContext {
  private readonly all: Ignore;

  /** `patterns` are relative to the context root (projectExcludes gives them so). */
  constructor(
    private readonly inner: BuildContext,
    private readonly patterns: readonly string[],
  ) {
    this.all = checkedMatcher(patterns);
  }

  private hidden(p: string): boolean {
    const clean = rootRelative(p);
    return clean !== "" && this.all.ignores(clean);
  }

  async readFile(p: string): Promise<Uint8Array | undefined> {
    return this.hidden(p) ? undefined : this.inner.readFile(p);
  }

  async readHead(p: string, bytes: number): Promise<Uint8Array | undefined> {
    return this.hidden(p) ? undefined : readHead(this.inner, p, bytes);
  }

  async readDir(p: string): Promise<DirEntry[] | undefined> {
    if (this.hidden(p)) return undefined;
    const entries = await this.inner.readDir(p);
    return entries?.filter((e) => !this.hidden(p ? `${p}/${e.name}` : e.name));
  }

  async stat(p: string): Promise<DirEntry | undefined> {
    return this.hidden(p) ? undefined : this.inner.stat(p);
  }

  /** The pattern that hides `p` (the last one that matches), or undefined when it is not hidden. */
  excludedBy(p: string): string | undefined {
    if (!this.hidden(p)) return undefined;
    const clean = rootRelative(p);
    const hits = this.patterns.filter((pat) => !pat.startsWith("!") && matcher([pat]).ignores(clean));
    return hits.at(-1) ?? this.patterns.find((pat) => !pat.startsWith("!"));
  }
}
