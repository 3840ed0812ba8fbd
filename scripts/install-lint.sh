#!/usr/bin/env bash
# Installs the pinned golangci-lint into ./bin with `go install` (from the Go
# module proxy), unless that version is already there.
set -euo pipefail
VERSION=v2.15.0
cd "$(dirname "$0")/.."
BIN="$PWD/bin"
if [ -x "$BIN/golangci-lint" ] && "$BIN/golangci-lint" version 2>/dev/null | grep -q "${VERSION#v}"; then
  exit 0
fi
echo "installing golangci-lint $VERSION"
GOBIN="$BIN" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$VERSION"
