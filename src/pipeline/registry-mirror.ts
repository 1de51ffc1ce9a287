// REGISTRY_MIRROR: Docker Hub references are rewritten to a pull-through
// mirror. The original's layout is kept: `<mirror>/mirror/library/node:22`
// when the mirror names only a host; a mirror with a path is used as the
// prefix as given (`harbor.example/dockerhub/library/node:22`). References
// that name a registry are left alone, except dhi.io with DHI_MIRROR.
export function mirrorImage(ref: string, mirror: string | undefined, dhiMirror: string | undefined): string {
  if (!mirror) return ref;
  const host = stripScheme(mirror);
  const first = ref.split("/")[0]!;
  const hasRegistry = ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (hasRegistry) {
    if (first === "dhi.io" && dhiMirror) return `${stripScheme(dhiMirror)}/${ref.slice("dhi.io/".length)}`;
    if (first !== "docker.io") return ref;
    ref = ref.slice("docker.io/".length);
  }
  const prefix = host.includes("/") ? host : `${host}/mirror`;
  return ref.includes("/") ? `${prefix}/${ref}` : `${prefix}/library/${ref}`;
}

function stripScheme(s: string): string {
  return s.replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, "");
}
