#!/usr/bin/env bash
# Runs the whole test suite: unit tests with Pulumi mocks and the offline
# end-to-end suite through the real Pulumi engine. Installs what it needs.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$repo_root"

ensure_shellcheck
ensure_staticcheck
ensure_pulumi

echo "==> shellcheck (scripts)"
shellcheck -x scripts/*.sh .ci/run
echo "==> gofmt"
unformatted="$(find . -name '*.go' -not -path './.cache/*' -not -path './.git/*' -print0 | xargs -0 gofmt -l)"
if [ -n "$unformatted" ]; then
  echo "gofmt would change these files; run gofmt -w on them:" >&2
  echo "$unformatted" >&2
  exit 1
fi
echo "==> go vet"
go vet ./...
echo "==> staticcheck"
"$staticcheck_bin" ./...
echo "==> go test"
go test -count=1 -timeout 45m ./... "$@"
