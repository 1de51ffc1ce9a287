// Real Node.js inside a Bun image, for Bun apps that run `node` (a framework's
// Node server such as Nitro's .output/server/index.mjs, a start script that
// calls node, engines.node). Bun's images carry only a `node` shim that runs
// Bun, which rejects Node's own flags ("Invalid Argument '-v'"). The official
// Linux build of Node.js comes from its npm package (node-linux-<arch>).
import type { RunStep } from "../../kit/schema.js";

export const NODE_PREFIX = "/opt/migetpacks/node";
/** Bun images' PATH, with the real node ahead of Bun's fallback shim. */
export const BUN_WITH_NODE_PATH = `${NODE_PREFIX}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/bun-node-fallback-bin`;

const NODE_CALL = /(^|[\s;&|(])node(\s|$)/;

/** Whether the app runs Node.js: its commands call node, or package.json asks for a Node.js version. */
export function usesNode(commands: string[], enginesNode: string | undefined): boolean {
  return Boolean(enginesNode?.trim()) || commands.some((c) => NODE_CALL.test(c));
}

/** Downloads Node.js `version` with bun itself (from the npm registry) into NODE_PREFIX. */
export function nodeInstallStep(version: string): RunStep {
  const pkg = `node-linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')`;
  return {
    kind: "run",
    name: `install Node.js ${version} next to Bun`,
    shell: [
      "mkdir -p /tmp/migetpacks-node",
      "cd /tmp/migetpacks-node",
      `echo '{"name":"node-download","private":true}' > package.json`,
      `bun add --no-save ${pkg}@${version}`,
      `install -D -m 755 node_modules/${pkg}/bin/node ${NODE_PREFIX}/bin/node`,
      "cd / && rm -rf /tmp/migetpacks-node",
      `${NODE_PREFIX}/bin/node --version`,
    ].join(" && "),
    caches: ["bun"],
    env: [],
  };
}
