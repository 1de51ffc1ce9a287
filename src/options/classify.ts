// Build args that are not options are the app's build-time variables (the
// original turned unknown env vars into builder ENV). Credentials never are:
// they would land in the LLB, cache keys and image history. Proxy settings go
// to BuildKit's proxy env, which stays out of cache keys.
import { CommonOptionsSchema } from "./build-args.js";
import { envNameProblem } from "./env-names.js";

/** Names the original reserved (KNOWN_BUILDER_VARS) or that belong to languages we plan for. */
const RESERVED = [
  ...Object.keys(CommonOptionsSchema.shape),
  "SOURCE_DIR", "OUTPUT_IMAGE", "DOCKERFILE_PATH", "COMPOSE_FILE", "RESULT_FILE", "CUSTOM_DATA", "DEBUG", "CACHE_IMAGE",
  "CACHE_REGISTRY_INSECURE", "CACHE_MODE", "CACHE_FROM", "PUSH_IMAGE", "TAG_LATEST", "BUILDKIT_HOST", "BUILDPACK_DIR", "ARCH",
  "MIX_ENV", "BUNDLE_WITHOUT", "S3_CACHE_BUCKET", "S3_CACHE_ENDPOINT", "S3_CACHE_REGION",
  "DOCKER_HOST", "DOCKER_PLATFORM", "DOCKER_BUILDKIT", "STORAGE_DRIVER", "BUILDKIT_CACHE_SIZE",
  "SBT_TASKS", "SBT_PRE_TASKS", "SBT_PROJECT", "SBT_CLEAN", "SBT_OPTS", "SBT_AT_RUNTIME", "KEEP_SBT_CACHE",
  "LEIN_VERSION", "LEIN_BUILD_TASK", "LEIN_INCLUDE_IN_SLUG", "GO_SETUP_GOPATH_IN_IMAGE",
];
/** Shell/session noise that must never become build env. */
const SESSION = /^(PATH|HOME|PWD|OLDPWD|SHLVL|_|HOSTNAME|TERM|SHELL|USER|LOGNAME|TMPDIR|TEMP|TMP|DISPLAY|COLORTERM|EDITOR|VISUAL|PAGER|LESS|LS_COLORS|XDG_.*|SSH_.*|GPG_.*|BUILDKIT_.*)$/;

/** The original's known credentials, plus names that look like one. */
const CREDENTIAL_NAMES = new Set([
  "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "DOCKER_CONFIG", "DHI_USERNAME", "DHI_PASSWORD",
  "NPM_TOKEN", "NODE_AUTH_TOKEN", "GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN", "BUNDLE_GITHUB__COM", "DATABASE_URL",
]);
/** A credential-looking word as a whole `_`-separated part of the name: NPM_TOKEN, SECRET_KEY_BASE, DB_PASSWORD. */
const CREDENTIAL_PATTERN = /(^|_)(TOKEN|SECRET|SECRETS|PASSWORD|PASSWD|PASS|PWD|KEY|APIKEY|CREDENTIAL|CREDENTIALS|PRIVATE|AUTH)(_|$)/i;
/** Variables the ecosystems define as public (they are bundled into browser code). */
const PUBLIC_PREFIX = /^(NEXT_PUBLIC_|VITE_|PUBLIC_|NUXT_PUBLIC_|EXPO_PUBLIC_|GATSBY_|REACT_APP_)/;

export const PROXY_ARGS = ["HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY"];

export function isCredential(name: string): boolean {
  if (CREDENTIAL_NAMES.has(name.toUpperCase())) return true;
  return CREDENTIAL_PATTERN.test(name) && !PUBLIC_PREFIX.test(name);
}

export interface Classified {
  /** Variables for the build stages, in name order (order is part of the cache key). */
  userEnv: [string, string][];
  /** Proxy settings for BuildKit's proxy env (kept out of cache keys). */
  proxy: Record<string, string>;
  /** Credentials that were given as build args and dropped. */
  dropped: string[];
  /** Build args that cannot be variables (bad or reserved names), said out loud instead of dropped silently. */
  warnings: string[];
}

export function classifyBuildArgs(args: Readonly<Record<string, string>>, providerOptions: readonly string[]): Classified {
  const reserved = new Set([...RESERVED, ...providerOptions]);
  const out: Classified = { userEnv: [], proxy: {}, dropped: [], warnings: [] };
  for (const name of Object.keys(args).sort()) {
    const value = args[name]!;
    if (PROXY_ARGS.includes(name.toUpperCase())) out.proxy[name.toUpperCase()] = value;
    else if (reserved.has(name) || /^BUILDKIT_/.test(name)) continue;
    else if (envNameProblem(name) || SESSION.test(name)) out.warnings.push(`build arg: ${envNameProblem(name) ?? `${name} is reserved for the build's own session`}; it was not passed to the build.`);
    else if (isCredential(name)) out.dropped.push(name);
    else out.userEnv.push([name, value]);
  }
  return out;
}
