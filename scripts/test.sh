#!/usr/bin/env bash
# Runs the whole test suite: unit tests with Pulumi mocks and the offline
# end-to-end suite through the real Pulumi engine. Installs what it needs.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$repo_root"

ensure_shellcheck
ensure_pulumi

echo "==> go vet"
go vet ./...
echo "==> go test"
go test -count=1 -timeout 45m ./... "$@"
