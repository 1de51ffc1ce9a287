// GO_BUILD_FLAGS → words for `go build`. The value used to be pasted into the
// build's shell line unquoted, so `-v; curl … | sh` or `$(…)` ran as shell.
// It is split the way a shell splits words (shell-quote), anything that is
// not a plain word (operators, substitutions, globs, comments) is refused,
// and each word is quoted again by the caller.
import { parse } from "shell-quote";
import { UserError } from "../../context/fs.js";
import { describeArg, type BuildArgs } from "../../options/build-args.js";

export function buildFlagWords(args: BuildArgs, flags: string | undefined): string[] {
  if (!flags) return [];
  // shell-quote's parser is slow on megabytes of input; real flag lists are a line.
  if (flags.length > 4096) throw refuse(args, `it is ${flags.length} characters long (at most 4096)`);
  if (/[$`]/.test(flags)) throw refuse(args, "it may not expand variables or run commands ($ or `)");
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(flags)) throw refuse(args, "it holds control characters");
  const words = parse(flags);
  const bad = words.find((w) => typeof w !== "string");
  if (bad !== undefined) throw refuse(args, `it may hold only flags and values, not shell syntax (${JSON.stringify(describe(bad))})`);
  return words as string[];
}

function describe(w: unknown): string {
  const o = w as { op?: string; pattern?: string; comment?: string };
  return o.op === "glob" ? (o.pattern ?? "glob") : (o.op ?? (o.comment !== undefined ? "#" : String(w)));
}

function refuse(args: BuildArgs, why: string): UserError {
  return new UserError(`${describeArg(args, "GO_BUILD_FLAGS")} is invalid: ${why}; give flags such as -tags=netgo -trimpath.`);
}

/**
 * Package patterns to build (GO_INSTALL_PACKAGE_SPEC, or go.mod's `// +heroku
 * install` line): local ones (`./cmd/api`, `./...`) or import paths. A pattern
 * that climbs out of the module (`../../etc`) or is absolute names nothing the
 * app owns; it would also name the binary and the image's command.
 */
export function packageSpec(args: BuildArgs, spec: string[] | undefined, fromGoMod: boolean): string[] | undefined {
  if (!spec) return undefined;
  for (const p of spec) {
    if (p.startsWith("/") || p.split("/").includes("..") || !/^[A-Za-z0-9_.\/~+-]+$/.test(p)) {
      const where = fromGoMod ? `go.mod's "+heroku install" line lists ${JSON.stringify(p)}` : `${describeArg(args, "GO_INSTALL_PACKAGE_SPEC")} lists ${JSON.stringify(p)}`;
      throw new UserError(`${where}, which is not a package of this module; use patterns such as ./cmd/api or ./... .`, fromGoMod ? "go.mod" : undefined);
    }
  }
  return spec;
}
