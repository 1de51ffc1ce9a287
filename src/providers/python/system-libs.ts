// Shared libraries that installed distributions load at run time, as Debian
// packages for the slim runtime (names valid on both bookworm and trixie, the
// bases of the official python images). The builder is the full python image,
// which already carries the matching -dev packages and compilers, so sdists
// such as psycopg2 compile there; none of that reaches the runtime.
// Wheels that bundle their libraries (psycopg2-binary, psycopg[binary],
// lxml/Pillow manylinux wheels) need nothing, but lxml and Pillow compiled from
// an sdist do, so their libraries are installed as well (small, harmless).

const LIBS: Record<string, string[]> = {
  // libpq: psycopg2 links it; psycopg 3 loads it with ctypes unless psycopg-binary / psycopg-c is used.
  psycopg2: ["libpq5"],
  psycopg: ["libpq5"],
  "psycopg-c": ["libpq5"],
  pygresql: ["libpq5"],
  mysqlclient: ["libmariadb3"],
  lxml: ["libxml2", "libxslt1.1"],
  xmlsec: ["libxmlsec1", "libxmlsec1-openssl"],
  pillow: ["libjpeg62-turbo", "zlib1g", "libfreetype6", "libwebp7", "libtiff6", "liblcms2-2"],
  pycairo: ["libcairo2"],
  cairocffi: ["libcairo2"],
  cairosvg: ["libcairo2"],
  weasyprint: ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "libfontconfig1"],
  pyodbc: ["unixodbc"],
};

/** Debian packages for the runtime, sorted and unique. */
export function runtimeLibraries(names: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const n of names) {
    if (n === "psycopg" && (names.has("psycopg-binary") || names.has("psycopg-c"))) continue;
    for (const p of LIBS[n] ?? []) out.add(p);
  }
  return [...out].sort();
}
