// A pinned toolchain: rust-toolchain.toml (`[toolchain] channel = "1.83"`),
// or the older plain rust-toolchain file, which holds either a bare channel
// or the same TOML table.
import { readText, type BuildContext } from "../../context/fs.js";
import { parseToml, type TomlTable } from "../../manifest/toml.js";

export interface ToolchainPin {
  channel: string;
  file: string;
}

export const TOOLCHAIN_FILES = ["rust-toolchain.toml", "rust-toolchain"] as const;

export async function readToolchainPin(ctx: BuildContext): Promise<ToolchainPin | undefined> {
  for (const file of TOOLCHAIN_FILES) {
    const text = await readText(ctx, file);
    if (text === undefined) continue;
    const channel = file.endsWith(".toml") || /^\s*\[toolchain\]/m.test(text) ? tomlChannel(parseToml(text, file)) : firstLine(text);
    if (channel) return { channel, file };
  }
  return undefined;
}

function tomlChannel(doc: TomlTable): string | undefined {
  const toolchain = doc.toolchain as TomlTable | undefined;
  return typeof toolchain?.channel === "string" ? toolchain.channel.trim() : undefined;
}

function firstLine(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const v = line.replace(/#.*/, "").trim();
    if (v) return v;
  }
  return undefined;
}
