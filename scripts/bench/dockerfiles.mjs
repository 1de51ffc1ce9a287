// Hand-written multi-stage Dockerfiles equivalent to migetpacks' plans (what a
// careful engineer would write, on the same base images), for the reference
// paths: the built-in Dockerfile frontend and BuildKit's Go frontend image.
export function handWritten(name, plan) {
  const build = plan.stages[0];
  const rt = plan.runtime;
  if (name.startsWith("python-")) return pythonDockerfile(plan);
  const body = name.startsWith("go-") ? goBuild(build, plan) : nodeBuild(build);
  return `FROM ${build.image} AS build
WORKDIR /build
${body}
FROM ${rt.image}
WORKDIR /app
COPY --from=build --chown=1000:1000 /build /app
${name.startsWith("go-") ? "COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt\n" : ""}USER 1000:1000
ENV ${rt.env.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ")}
EXPOSE ${rt.port}
CMD ${JSON.stringify(rt.cmd)}
`;
}

function goBuild(stage, plan) {
  const bin = plan.runtime.cmd[0].replace(/^\.\//, "");
  const mounts = "--mount=type=cache,id=bench-go-mod,target=/go/pkg/mod --mount=type=cache,id=bench-go-build,target=/root/.cache/go-build";
  return `ENV CGO_ENABLED=0 GOOS=linux GOTOOLCHAIN=local
COPY go.mod ./
RUN ${mounts} go mod download
COPY . .
RUN ${mounts} go build -ldflags='-s -w' -o /build/${bin} . && rm -f *.go go.mod go.sum
`;
}

function nodeBuild(stage) {
  const env = stage.env.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
  const prune = "RUN --mount=type=cache,id=bench-npm,target=/root/.npm npm prune --omit=dev\n";
  // Without a build script the prune needs no source: before the source copy, as the plan does.
  const names = stage.steps.map((s) => s.name);
  const pruneFirst = names.indexOf("prune dev dependencies") >= 0 && names.indexOf("prune dev dependencies") < names.indexOf("copy source");
  return `ENV ${env}
COPY package.json package-lock.json ./
RUN --mount=type=cache,id=bench-npm,target=/root/.npm npm ci --include=dev
${pruneFirst ? prune : ""}COPY . .
${pruneFirst ? "" : prune}`;
}

/** A virtualenv built from the requirements, the source byte-compiled as the plan does, both copied into the slim image. */
function pythonDockerfile(plan) {
  const build = plan.stages[0];
  const rt = plan.runtime;
  const env = (pairs) => pairs.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
  const manifests = build.steps.find((s) => s.kind === "copy" && s.include)?.include ?? ["requirements.txt"];
  return `FROM ${build.image} AS build
WORKDIR /app
ENV ${env(build.env)}
${manifests.map((f) => `COPY ${f} ./${f.includes("/") ? f.slice(0, f.lastIndexOf("/") + 1) : ""}`).join("\n")}
RUN --mount=type=cache,id=bench-pip,target=/root/.cache/pip python -m venv /app/.venv && pip install -r requirements.txt
COPY . .
RUN rm -rf tests && (python -m compileall -q -j 0 -x '/\\.venv/' . || true)

FROM ${rt.image}
WORKDIR /app
COPY --from=build --chown=1000:1000 /app /app
USER 1000:1000
ENV ${env(rt.env)}
EXPOSE ${rt.port}
CMD ${JSON.stringify(rt.cmd)}
`;
}
