// Compiles proto/*.proto at build time into
//  - src/generated/descriptor.json: loaded by protobufjs/light, so neither the
//    CLI nor the frontend parses .proto text at start-up;
//  - src/generated/pb-types.ts: an interface per message, so tsc rejects a
//    misspelled field in the objects we encode (see scripts/pb-types.mjs).
// `--check` fails when either file is stale instead of writing it.
import protobuf from "protobufjs";
import { writeFileSync, readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { typesFromRoot } from "./pb-types.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const protoDir = path.join(root, "proto");

const pbRoot = new protobuf.Root();
pbRoot.resolvePath = (_origin, target) => path.join(protoDir, path.basename(target));
pbRoot.loadSync(["llb.proto", "caps.proto", "status.proto", "stat.proto", "gateway.proto"], { keepCase: true });
pbRoot.resolveAll();

const outputs = {
  "src/generated/descriptor.json": JSON.stringify(pbRoot.toJSON({ keepComments: false }), null, 1) + "\n",
  "src/generated/pb-types.ts": typesFromRoot(pbRoot),
};

const check = process.argv.includes("--check");
let stale = false;
for (const [rel, text] of Object.entries(outputs)) {
  const out = path.join(root, rel);
  if (existsSync(out) && readFileSync(out, "utf8") === text) continue;
  if (check) {
    console.error(`${rel} is out of date: run \`npm run gen:proto\`.`);
    stale = true;
  } else {
    writeFileSync(out, text);
  }
}
if (stale) process.exit(1);
