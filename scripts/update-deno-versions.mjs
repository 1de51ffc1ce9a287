// Refreshes the bundled table of released Deno versions (src/providers/deno/versions.json).
// Source: the `deno` package on the npm registry, published for every Deno
// release since 1.46 (its 0.x versions are unrelated placeholders).
import { writeReleaseTable } from "./release-table.mjs";

writeReleaseTable("deno", "deno", 1);
