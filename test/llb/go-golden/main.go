// Prints the pb.Definition that BuildKit's own Go client (client/llb,
// v0.26.3) marshals for a few states, as JSON {case: base64}. The TypeScript
// builder must produce the same bytes for the same states: see
// test/llb/go-golden.test.ts. Regenerate with scripts/go-golden.sh.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"

	"github.com/moby/buildkit/client/llb"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
	"google.golang.org/protobuf/proto"
)

var amd64 = ocispecs.Platform{OS: "linux", Architecture: "amd64"}

func image(ref string) llb.State {
	return llb.Image(ref, llb.Platform(amd64))
}

func ctxSource() llb.State {
	return llb.Local("context",
		llb.SessionID("s1"),
		llb.SharedKeyHint("context"),
		llb.IncludePatterns([]string{"src/", "go.mod", "go.sum"}),
		llb.ExcludePatterns([]string{"node_modules", "!node_modules/keep", ".env"}),
	)
}

func execMounts() llb.State {
	st := image("golang:1.22").AddEnv("CGO_ENABLED", "0").AddEnv("GOFLAGS", "-mod=mod").Dir("/build")
	return st.Run(
		llb.Args([]string{"/bin/sh", "-c", "go build ./..."}),
		llb.AddMount("/go/pkg/mod", llb.Scratch(), llb.AsPersistentCacheDir("ns-go-mod", llb.CacheMountLocked)),
		llb.AddMount("/root/.cache/go-build", llb.Scratch(), llb.AsPersistentCacheDir("ns-go-build", llb.CacheMountShared)),
		llb.AddSecret("/run/secrets/tok", llb.SecretID("tok"), llb.SecretOptional),
		llb.AddSSHSocket(llb.SSHID("default")),
		llb.WithProxy(llb.ProxyEnv{HTTPProxy: "http://proxy:3128", NoProxy: "localhost"}),
		llb.WithCustomName("go build"),
	).Root()
}

// A readonly bind with a selector, tmpfs with a size, a writable scratch mount
// returned as the result (output 1), a secret as env, no network, a user.
func execOptions() llb.State {
	base := image("debian:bookworm-slim").User("1000:1000").Dir("/src")
	run := base.Run(
		llb.Args([]string{"make", "install"}),
		llb.Network(llb.NetModeNone),
		llb.AddMount("/src", ctxSource(), llb.Readonly, llb.SourcePath("/app")),
		llb.AddMount("/tmp", llb.Scratch(), llb.Tmpfs(llb.TmpfsSize(64<<20))),
		llb.AddMount("/out", llb.Scratch()),
		llb.AddSecretWithDest("npm", nil, llb.SecretAsEnvName("NPM_TOKEN")),
	)
	return run.GetMount("/out")
}

func fileCopy() llb.State {
	base := image("debian:bookworm-slim")
	return base.File(
		llb.Mkdir("/app", 0o755, llb.WithParents(true), llb.WithUIDGID(1000, 1000)).
			Copy(ctxSource(), "/", "/app/", &llb.CopyInfo{
				FollowSymlinks:      true,
				CopyDirContentsOnly: true,
				CreateDestPath:      true,
				AllowWildcard:       true,
				AllowEmptyWildcard:  true,
				IncludePatterns:     []string{"src/**"},
				ExcludePatterns:     []string{"*.test"},
				ChownOpt:            &llb.ChownOpt{User: &llb.UserOpt{UID: 1000}, Group: &llb.UserOpt{UID: 1000}},
			}).
			Mkfile("/app/VERSION", 0o644, []byte("1.0\n")).
			Rm("/app/tmp*", llb.WithAllowNotFound(true), llb.WithAllowWildcard(true)),
		llb.WithCustomName("copy app"),
	)
}

func appLayer() llb.State {
	return llb.Scratch().File(llb.Mkfile("/app/a.txt", 0o644, []byte("a")))
}

func merge() llb.State {
	return llb.Merge([]llb.State{image("alpine:3.20"), appLayer(), ctxSource()})
}

func diff() llb.State {
	base := image("alpine:3.20")
	upper := base.Run(llb.Args([]string{"/bin/sh", "-c", "apk add git"})).Root()
	return llb.Merge([]llb.State{image("debian:bookworm-slim"), llb.Diff(base, upper)})
}

func main() {
	cases := map[string]llb.State{
		"image":        image("node:22-slim"),
		"local":        ctxSource(),
		"exec-mounts":  execMounts(),
		"exec-options": execOptions(),
		"file-copy":    fileCopy(),
		"merge":        merge(),
		"diff":         diff(),
	}
	out := map[string]string{}
	for name, st := range cases {
		def, err := st.Marshal(context.Background(), llb.Platform(amd64))
		if err != nil {
			fail(name, err)
		}
		dt, err := proto.MarshalOptions{Deterministic: true}.Marshal(def.ToPB())
		if err != nil {
			fail(name, err)
		}
		out[name] = base64.StdEncoding.EncodeToString(dt)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fail("output", err)
	}
}

func fail(what string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
	os.Exit(1)
}
