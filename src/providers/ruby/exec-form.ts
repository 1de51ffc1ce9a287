// Shell-less (hardened) runtime: gem executables start through their
// `#!/usr/bin/env ruby` shebang, which needs /usr/bin/env; run them with the
// interpreter instead, as the seeds show: `bundle exec puma` → `ruby -S bundle
// exec puma`, `./bin/rails server` → `ruby bin/rails server`.

/** `./bin/x`, `bin/x` → `bin/x` (a script in the app); anything else → undefined. */
function appScript(word: string): string | undefined {
  const m = /^(?:\.\/)?(bin\/[\w.-]+|[\w.-]+\.rb)$/.exec(word);
  return m ? m[1] : undefined;
}

export function rubyExecForm(argv: string[]): string[] {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === "ruby" || cmd.endsWith("/ruby")) return argv;
  const script = appScript(cmd);
  if (script) return ["ruby", script, ...rest];
  if (cmd.includes("/")) return argv; // some other program given by path
  // `bundle exec ./bin/x` → `bundle exec ruby bin/x` (the original's rewrite), then through `ruby -S`.
  if (cmd === "bundle" && rest[0] === "exec" && rest[1] !== undefined) {
    const inner = appScript(rest[1]);
    if (inner) return ["ruby", "-S", "bundle", "exec", "ruby", inner, ...rest.slice(2)];
  }
  return ["ruby", "-S", cmd, ...rest];
}
