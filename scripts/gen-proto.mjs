// Compiles proto/*.proto into one JSON descriptor at build time, so neither the
// CLI nor the frontend parses .proto text at start-up (protobufjs/light loads it).
import protobuf from "protobufjs";
import { writeFileSync, readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const protoDir = path.join(root, "proto");
const out = path.join(root, "src/generated/descriptor.json");

const pbRoot = new protobuf.Root();
pbRoot.resolvePath = (_origin, target) => path.join(protoDir, path.basename(target));
pbRoot.loadSync(["llb.proto", "caps.proto", "status.proto", "stat.proto", "gateway.proto"], { keepCase: true });
pbRoot.resolveAll();

const text = JSON.stringify(pbRoot.toJSON({ keepComments: false }), null, 1) + "\n";
const check = process.argv.includes("--check");
if (check) {
  const same = existsSync(out) && readFileSync(out, "utf8") === text;
  if (!same) {
    console.error("src/generated/descriptor.json is out of date: run `npm run gen:proto`.");
    process.exit(1);
  }
} else if (!existsSync(out) || readFileSync(out, "utf8") !== text) {
  writeFileSync(out, text);
}
