import { createHash } from "node:crypto";

/** BuildKit names an op by the sha256 of its exact marshalled bytes. */
export function digestOf(bytes: Uint8Array): string {
  return "sha256:" + createHash("sha256").update(bytes).digest("hex");
}
