// Node.js commands for a shell-less runtime: the hardened Node image has node
// but no npm, so `npm start` becomes the start script itself; a dependency's
// CLI (`next start`) runs through node, since its shebang needs /usr/bin/env.
const RUNNERS = /^(npm|yarn|pnpm)\s+(?:run(?:-script)?\s+)?([\w:.-]+)(.*)$/;

export function nodeDhiCommand(scripts: Record<string, string>, command: string, depth = 0): string {
  const m = RUNNERS.exec(command.trim());
  if (m && depth < 3) {
    const [, , name, extra] = m as unknown as [string, string, string, string];
    const body = scripts[name!];
    if (body === undefined) return command;
    return nodeDhiCommand(scripts, `${body}${extra}`, depth + 1);
  }
  const [first, ...rest] = command.trim().split(/\s+/);
  if (!first || first === "node" || first === "exec" || first.includes("/") || first.includes("=") || /\.(m?js|cjs)$/.test(first)) return command;
  // A bare word that is not node: a dependency's bin, resolved inside the app.
  return ["node", `node_modules/.bin/${first}`, ...rest].join(" ");
}
