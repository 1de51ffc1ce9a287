import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts", "test/llb/**/*.test.ts", "test/golden/**/*.test.ts"] } },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 15 * 60_000,
          hookTimeout: 30 * 60_000,
          // Two files at a time: builds wait on registries as much as on the 2 CPUs, so
          // overlapping them shortens the run; each file's images and tags are its own.
          fileParallelism: true,
          maxWorkers: 2,
          // After the unit project (vitest runs projects with different worker counts as separate groups).
          sequence: { groupOrder: 1 },
          globalSetup: ["test/e2e/global-setup.ts"],
        },
      },
    ],
  },
});
