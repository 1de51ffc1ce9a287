// Gemfile.lock, in Bundler's documented line format: unindented section
// headers (GEM, GIT, PATH, PLATFORMS, DEPENDENCIES, RUBY VERSION, BUNDLED WITH,
// CHECKSUMS, PLUGIN SOURCE), `  remote: x` source lines, `    name (version)`
// specs (4 spaces) and their `      dep (req)` lines (6 spaces).
import { UserError } from "../../context/fs.js";

export interface GemLock {
  /** Every locked gem name (specs of every source). */
  specs: Set<string>;
  /** Gems locked as precompiled Linux builds (`nokogiri (1.16.0-x86_64-linux)`). */
  linuxNative: Set<string>;
  /** Folders of PATH sources, as written (`remote: vendor/gems/hello`). */
  paths: string[];
  platforms: string[];
  /** `RUBY VERSION` (`ruby 3.3.0p0` → 3.3.0). */
  ruby?: string;
  /** `BUNDLED WITH`. */
  bundler?: string;
}

const SECTIONS = new Set(["GEM", "GIT", "PATH", "PLUGIN SOURCE", "PLATFORMS", "DEPENDENCIES", "RUBY VERSION", "BUNDLED WITH", "CHECKSUMS"]);

export function parseGemfileLock(text: string, file = "Gemfile.lock"): GemLock {
  const out: GemLock = { specs: new Set(), linuxNative: new Set(), paths: [], platforms: [] };
  let section: string | undefined;
  let sawSection = false;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const n = i + 1;
    const where = `${file} line ${n}`;
    if (/^(<<<<<<<|=======|>>>>>>>)( |$)/.test(line)) {
      throw new UserError(`${where}: an unresolved merge conflict; resolve it (or delete Gemfile.lock and run \`bundle lock\`) and commit the result.`, file);
    }
    if (!line.trim()) return;
    if (!/^\s/.test(line)) {
      const name = line.trim();
      if (!SECTIONS.has(name)) throw new UserError(`${where}: "${name.slice(0, 40)}" is not a Gemfile.lock section; the file is damaged — regenerate it with \`bundle lock\` and commit it.`, file);
      section = name;
      sawSection = true;
      return;
    }
    if (!section) throw new UserError(`${where}: indented text before any section; the file is damaged — regenerate it with \`bundle lock\`.`, file);
    const indent = /^ */.exec(line)![0].length;
    const body = line.trim();
    switch (section) {
      case "GEM":
      case "GIT":
      case "PATH":
      case "PLUGIN SOURCE": {
        if (indent === 2 && section === "PATH") {
          const m = /^remote:\s*(.+)$/.exec(body);
          if (m) out.paths.push(m[1]!.trim());
        }
        if (indent === 4) {
          const m = /^([A-Za-z0-9][A-Za-z0-9._-]*) \(([^)]+)\)$/.exec(body);
          if (!m) throw new UserError(`${where}: "${body.slice(0, 60)}" is not a \`name (version)\` spec line; regenerate Gemfile.lock with \`bundle lock\`.`, file);
          out.specs.add(m[1]!);
          if (/-[\w-]*linux/.test(m[2]!)) out.linuxNative.add(m[1]!);
        }
        break;
      }
      case "PLATFORMS":
        out.platforms.push(body);
        break;
      case "RUBY VERSION": {
        const m = /^ruby (\d+\.\d+\.\d+)(?:p-?\d+)?(?:\s.*)?$/.exec(body);
        if (!m) throw new UserError(`${where}: RUBY VERSION "${body}" is not \`ruby X.Y.Z\`; fix it or regenerate Gemfile.lock.`, file);
        out.ruby = m[1];
        break;
      }
      case "BUNDLED WITH": {
        if (!/^\d+\.\d+\.\d+(\.[A-Za-z0-9.]+)?$/.test(body)) throw new UserError(`${where}: BUNDLED WITH "${body}" is not a Bundler version; fix it or regenerate Gemfile.lock with \`bundle update --bundler\`.`, file);
        out.bundler = body;
        break;
      }
    }
  });
  if (!sawSection) throw new UserError(`${file} has no Gemfile.lock sections (GEM, DEPENDENCIES, ...); regenerate it with \`bundle lock\` and commit it.`, file);
  return out;
}

/** Whether the lockfile can install on Linux: a `ruby` (source) or a Linux platform is listed. */
export function supportsLinux(lock: GemLock): boolean {
  return !lock.platforms.length || lock.platforms.some((p) => p === "ruby" || p.includes("linux"));
}
