# shellcheck shell=bash
# Shared by scripts/*.sh: where the locally built Pulumi CLI lives and how
# to build it. Sourced, not run.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pulumi_version="v3.274.1"
pulumi_root="$repo_root/.cache/pulumi"
pulumi_bin="$pulumi_root/bin/pulumi"

# ensure_pulumi builds the Pulumi CLI from the Go module proxy (the version
# go.mod pins) unless a build of that version is cached. The version stamp
# is what the Automation API checks.
ensure_pulumi() {
  if [ -x "$pulumi_bin" ] && [ "$("$pulumi_bin" version 2>/dev/null)" = "$pulumi_version" ]; then
    return
  fi
  echo "==> Building the Pulumi CLI $pulumi_version into .cache/pulumi (about 8 minutes the first time)"
  mkdir -p "$pulumi_root/bin"
  (cd "$repo_root" && go build \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$pulumi_version" \
    -o "$pulumi_bin" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
}

# ensure_shellcheck installs shellcheck from Debian's packages when missing.
ensure_shellcheck() {
  command -v shellcheck >/dev/null && return
  echo "==> Installing shellcheck (apt)"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq shellcheck >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq shellcheck >/dev/null
  fi
}

# staticcheck is pinned here and built from the Go module proxy into
# .cache/bin the first time.
staticcheck_version="v0.8.2" # staticcheck 2026.2.2
staticcheck_bin="$repo_root/.cache/bin/staticcheck"

ensure_staticcheck() {
  if [ -x "$staticcheck_bin" ] && "$staticcheck_bin" -version 2>/dev/null | grep -q "(${staticcheck_version#v})"; then
    return
  fi
  echo "==> Installing staticcheck $staticcheck_version into .cache/bin (Go module proxy)"
  GOBIN="$repo_root/.cache/bin" go install "honnef.co/go/tools/cmd/staticcheck@$staticcheck_version"
}
