// Docker image reference normalization (docker.io/library/..., :latest), as
// BuildKit's Go client does before writing a docker-image:// identifier.
export function normalizeImageRef(ref: string): string {
  let name = ref.trim();
  let digest = "";
  const at = name.indexOf("@");
  if (at >= 0) {
    digest = name.slice(at);
    name = name.slice(0, at);
  }
  const slash = name.indexOf("/");
  const first = slash >= 0 ? name.slice(0, slash) : "";
  const hasHost = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  if (!hasHost) name = slash >= 0 ? `docker.io/${name}` : `docker.io/library/${name}`;
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  if (!lastSegment.includes(":") && !digest) name += ":latest";
  return name + digest;
}
