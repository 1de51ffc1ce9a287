// Names of build-time variables. A bad name used to reach runc ("environment
// variable name can't be empty") or was dropped without a word; here it is
// refused (migetpacks.toml) or warned about (app.json, build args), naming
// the file and the name.

/** What POSIX shells and runc accept as a variable name. */
const VALID = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names the build images define for themselves: replacing them breaks every step. */
const RESERVED = new Set(["PATH", "HOME", "PWD", "OLDPWD", "SHLVL", "HOSTNAME", "USER", "LOGNAME", "SHELL", "TERM", "TMPDIR", "IFS", "LD_PRELOAD", "LD_LIBRARY_PATH"]);

/** Why `name` cannot be a build-time variable, or undefined when it can. */
export function envNameProblem(name: string): string | undefined {
  if (name === "") return "a name is empty";
  if (!VALID.test(name)) return `${JSON.stringify(short(name))} is not a variable name (letters, digits and _, not starting with a digit)`;
  if (RESERVED.has(name.toUpperCase())) return `${name} is reserved: it would replace the build image's own ${name}`;
  return undefined;
}

/** Long or binary names are shown cut, so a message stays one line. */
export function short(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
