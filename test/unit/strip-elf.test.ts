// frontend/strip-elf.cjs, used by Dockerfile.frontend to shrink node: the
// stripped binary must still run, and anything that is not ELF is copied as is.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const script = path.resolve(__dirname, "../../frontend/strip-elf.cjs");
const tmp = mkdtempSync(path.join(os.tmpdir(), "migetpacks-strip-"));

describe("strip-elf", () => {
  it("drops node's trailing symbol and debug sections; the result runs JavaScript", () => {
    const out = path.join(tmp, "node");
    expect(spawnSync(process.execPath, [script, process.execPath, out]).status).toBe(0);
    expect(statSync(out).size).toBeLessThanOrEqual(statSync(process.execPath).size);
    const r = spawnSync(out, ["-p", "process.version + ' ' + require('zlib').gzipSync('x').length"], { encoding: "utf8" });
    expect(r.stdout.trim()).toBe(`${process.version} 21`);
  }, 60_000);

  it("copies a file it does not recognise unchanged", () => {
    const input = path.join(tmp, "script.sh");
    writeFileSync(input, "#!/bin/sh\necho hi\n", { mode: 0o755 });
    const out = path.join(tmp, "script-out.sh");
    expect(spawnSync(process.execPath, [script, input, out]).status).toBe(0);
    expect(readFileSync(out, "utf8")).toBe("#!/bin/sh\necho hi\n");
    expect(statSync(out).mode & 0o777).toBe(0o755);
  });
});
