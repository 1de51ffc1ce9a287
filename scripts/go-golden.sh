#!/usr/bin/env bash
# Regenerates test/llb/go-golden/definitions.json: the pb.Definition bytes
# that BuildKit's own Go client marshals for the states in main.go. Needs Go
# and the module proxy; the vitest test that reads the file does not.
set -euo pipefail
cd "$(dirname "$0")/../test/llb/go-golden"
go run . > definitions.json.tmp
mv definitions.json.tmp definitions.json
echo "wrote test/llb/go-golden/definitions.json"
