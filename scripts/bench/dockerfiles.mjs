// Hand-written multi-stage Dockerfiles equivalent to migetpacks' plans (what a
// careful engineer would write, on the same base images), for the reference
// paths: the built-in Dockerfile frontend and BuildKit's Go frontend image.
export function handWritten(name, plan) {
  const build = plan.stages[0];
  const rt = plan.runtime;
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
  return `ENV ${env}
COPY package.json package-lock.json ./
RUN --mount=type=cache,id=bench-npm,target=/root/.npm npm ci --include=dev
COPY . .
RUN --mount=type=cache,id=bench-npm,target=/root/.npm npm prune --omit=dev
`;
}
