#!/usr/bin/env bash
# The main job, offline: preview, up, update and destroy of the example
# stack through the real Pulumi engine, with a stand-in for AWS.
# Builds the Pulumi CLI on first use. Pass --quiet for outputs and summary only.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$repo_root"

ensure_pulumi
exec go run ./cmd/demo "$@"
