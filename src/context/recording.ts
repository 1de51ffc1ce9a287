// Wraps a BuildContext and records every path asked for, so tests can prove
// detection reads only the files a provider declares.
import { readHead, type BuildContext, type DirEntry } from "./fs.js";

export class RecordingContext implements BuildContext {
  readonly paths = new Set<string>();

  constructor(private readonly inner: BuildContext) {}

  readFile(p: string): Promise<Uint8Array | undefined> {
    this.paths.add(p);
    return this.inner.readFile(p);
  }

  readHead(p: string, bytes: number): Promise<Uint8Array | undefined> {
    this.paths.add(p);
    return readHead(this.inner, p, bytes);
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
