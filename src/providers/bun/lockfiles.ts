// Bun's lockfiles: text (bun.lock) and binary (bun.lockb). Their own module, so the
// Node.js workspace finder can name them without importing the Bun provider (which
// imports the finder): no import cycle.
export const BUN_LOCKFILES = ["bun.lock", "bun.lockb"];
