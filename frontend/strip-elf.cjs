// `node strip-elf.cjs IN OUT`: copies an ELF64 little-endian executable without
// its trailing non-loaded sections (symbol table, debug info): what `strip`
// does to Node.js's release binary (~15 MB, ~4 MB compressed), with no binutils
// in the image that builds the frontend image. Anything it does not
// recognise is copied unchanged, so the result always runs.
"use strict";
const fs = require("node:fs");

const SHF_ALLOC = 2n;
const SHT_NOBITS = 8;

function strip(buf) {
  if (buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) return undefined; // ELF64, little-endian
  const phoff = Number(buf.readBigUInt64LE(0x20));
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const phentsize = buf.readUInt16LE(0x36);
  const phnum = buf.readUInt16LE(0x38);
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  const shstrndx = buf.readUInt16LE(0x3e);
  if (shentsize !== 64 || shnum === 0 || shstrndx !== shnum - 1) return undefined;
  const sec = (i) => {
    const o = shoff + i * 64;
    return { o, type: buf.readUInt32LE(o + 4), flags: buf.readBigUInt64LE(o + 8), offset: Number(buf.readBigUInt64LE(o + 0x18)), size: Number(buf.readBigUInt64LE(o + 0x20)), link: buf.readUInt32LE(o + 0x28) };
  };
  // Keep sections [0, keep): drop the trailing run of non-loaded ones (before .shstrtab).
  let keep = shstrndx;
  while (keep > 1 && (sec(keep - 1).flags & SHF_ALLOC) === 0n && sec(keep - 1).type !== SHT_NOBITS) keep--;
  if (keep === shstrndx) return undefined;
  const cut = Math.min(...Array.from({ length: shstrndx - keep }, (_, i) => sec(keep + i).offset));
  // Nothing loaded or kept may live at or beyond the cut, nor point at a dropped section.
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (Number(buf.readBigUInt64LE(o + 8)) + Number(buf.readBigUInt64LE(o + 0x20)) > cut) return undefined;
  }
  for (let i = 1; i < keep; i++) {
    const s = sec(i);
    if (s.link >= keep || (s.type !== SHT_NOBITS && s.offset + s.size > cut)) return undefined;
  }
  const names = sec(shstrndx);
  const namesAt = cut;
  const headersAt = Math.ceil((namesAt + names.size) / 8) * 8;
  const out = Buffer.alloc(headersAt + (keep + 1) * 64);
  buf.copy(out, 0, 0, cut);
  buf.copy(out, namesAt, names.offset, names.offset + names.size);
  buf.copy(out, headersAt, shoff, shoff + keep * 64);
  buf.copy(out, headersAt + keep * 64, names.o, names.o + 64);
  out.writeBigUInt64LE(BigInt(namesAt), headersAt + keep * 64 + 0x18);
  out.writeBigUInt64LE(BigInt(headersAt), 0x28);
  out.writeUInt16LE(keep + 1, 0x3c);
  out.writeUInt16LE(keep, 0x3e);
  return out;
}

const [input, output] = process.argv.slice(2);
const buf = fs.readFileSync(input);
const stripped = strip(buf);
fs.writeFileSync(output, stripped ?? buf, { mode: fs.statSync(input).mode });
console.error(`strip-elf: ${input} ${buf.length} → ${(stripped ?? buf).length} bytes${stripped ? "" : " (unchanged: layout not recognised)"}`);
