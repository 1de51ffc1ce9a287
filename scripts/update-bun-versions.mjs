// Refreshes the bundled table of released Bun versions (src/providers/bun/versions.json).
// Source: the `bun` package on the npm registry, published for every Bun release
// (canary builds are prereleases and are left out).
import { writeReleaseTable } from "./release-table.mjs";

writeReleaseTable("bun", "bun", 1);
