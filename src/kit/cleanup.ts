// Paths never shipped in a runtime image (repository metadata, tests, caches).
// Applied as exclude patterns on the copy into the runtime: no shell needed.
export const COMMON_RUNTIME_EXCLUDES = [".git", ".github", ".gitignore", ".gitattributes", ".dockerignore"];

export const NODE_RUNTIME_EXCLUDES = [
  ...COMMON_RUNTIME_EXCLUDES,
  "test",
  "tests",
  "spec",
  "__tests__",
  "coverage",
  ".nyc_output",
  ".cache",
];

export const GO_RUNTIME_EXCLUDES = [...COMMON_RUNTIME_EXCLUDES, "**/*.go", "go.mod", "go.sum", "go.work", "go.work.sum", "vendor"];
