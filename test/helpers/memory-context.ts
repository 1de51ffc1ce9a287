// Re-exported for tests; the implementation lives in src so the frontend can use it too.
export { MemoryContext } from "../../src/context/memory-fs.js";
