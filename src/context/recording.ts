// Wraps a BuildContext and records every path asked for, so tests can prove
// detection reads only the files a provider declares.
import type { BuildContext, DirEntry } from "./fs.js";

export class RecordingContext implements BuildContext {
  readonly paths = new Set<string>();

  constructor(private readonly inner: BuildContext) {}

  readFile(p: string, head?: { length: number }): Promise<Uint8Array | undefined> {
    this.paths.add(p);
    return this.inner.readFile(p, head);
  }

  readDir(p: string): Promise<DirEntry[] | undefined> {
    this.paths.add(p + "/");
    return this.inner.readDir(p);
  }

  stat(p: string): Promise<DirEntry | undefined> {
    this.paths.add(p);
    return this.inner.stat(p);
  }
}
