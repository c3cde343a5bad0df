#!/usr/bin/env bash
# The README's promise, checked on a clean machine: a fresh Debian 12 (bookworm) root made by
# mmdebstrap (minbase), the prerequisites the README names installed with apt, then the README's
# two commands, `make demo` and `make test`, run inside it (chroot in private mount/PID namespaces).
# Only the Debian mirror and PyPI are contacted. With CI=true a test skipped for a missing system
# package counts as a failure (tests/conftest.py), so "passed" means everything really ran.
#
# Usage (root, Debian/Ubuntu host; installs mmdebstrap if missing):
#   scripts/clean-root-check.sh [git-ref]        default HEAD; the committed tree is checked
# Environment: MIRROR and SECURITY (default: the Debian and debian-security mirrors this host's apt
#   uses), WORK (default /var/tmp/rectify-xl-clean-root),
#   FRESH_BASE=1 to rebuild the cached minbase tarball (it holds nothing but Debian packages).
# Writes $WORK/run.log and, on completion, docs/dev/clean-root-check.md (the result the README cites).
set -euo pipefail
ref=${1:-HEAD}
repo=$(cd "$(dirname "$0")/.." && pwd)
# the mirrors this host's apt already uses (one-line .list or deb822 .sources files)
host_mirror() {
  grep -hoP '^\s*(URIs:\s*|deb\s+(\[[^]]*\]\s+)?)\K\S+' /etc/apt/sources.list \
    /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -m1 -E "/$1/?\$" || true
}
MIRROR=${MIRROR:-$(host_mirror debian)}
SECURITY=${SECURITY:-$(host_mirror debian-security)}
WORK=${WORK:-/var/tmp/rectify-xl-clean-root}
[ "$(id -u)" -eq 0 ] || { echo "run as root (mmdebstrap, chroot and mounts need it)"; exit 2; }
[ -n "$MIRROR" ] || { echo "no Debian mirror in this host's apt sources: set MIRROR"; exit 2; }
command -v mmdebstrap >/dev/null || { apt-get update -q && apt-get install -y -q --no-install-recommends mmdebstrap; }

mkdir -p "$WORK"
base=$WORK/bookworm-minbase.tar
root=$WORK/root
log=$WORK/run.log
commit=$(git -C "$repo" rev-parse --short "$ref")
started=$(date -u +%s)
exec > >(tee "$log") 2>&1
echo "== clean-root check of rectify-xl $commit, $(date -u '+%Y-%m-%d %H:%M UTC')"

if [ ! -s "$base" ] || [ "${FRESH_BASE:-0}" = 1 ]; then
  echo "== mmdebstrap bookworm (minbase) from $MIRROR"
  sources=("deb $MIRROR bookworm main" "deb $MIRROR bookworm-updates main")
  [ -z "$SECURITY" ] || sources+=("deb $SECURITY bookworm-security main")
  mmdebstrap --variant=minbase --format=tar --quiet bookworm "$base.tmp" "${sources[@]}"
  mv "$base.tmp" "$base"
fi
rm -rf "$root" && mkdir -p "$root"
tar -C "$root" -xf "$base"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# A host behind a TLS-inspecting proxy names its CA bundle in PIP_CERT: pass that one file on so pip
# can reach PyPI through the proxy (the root itself stays as Debian made it).
pip_cert_env=""
if [ -n "${PIP_CERT:-}" ] && [ -f "$PIP_CERT" ]; then
  cp "$PIP_CERT" "$root/etc/host-proxy-ca.crt"; pip_cert_env="export PIP_CERT=/etc/host-proxy-ca.crt"
fi
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
mkdir -p "$root/root/rectify-xl"
git -C "$repo" archive --format=tar "$ref" | tar -C "$root/root/rectify-xl" -x

# The README's prerequisites, read from the README itself (the `apt-get install` line of 快速开始),
# so the check fails when the README forgets one.
prereq=$(grep -m1 -oP '^sudo apt-get install \K[a-z0-9 .+-]+' "$root/root/rectify-xl/README.md")
[ -n "$prereq" ] || { echo "README names no 'sudo apt-get install …' prerequisite line"; exit 2; }
echo "== README prerequisites: $prereq"

inner=$(cat <<EOF
set -euo pipefail
mount -t proc proc /proc
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
export HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
$pip_cert_env
apt-get update -q
cd /root/rectify-xl
# The issue's first try: python3 and make but no python3-venv. make must stop with the hint, and a
# .venv half made by hand (python3 -m venv without ensurepip) must be rebuilt later, not reused.
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 make
echo "== make demo without python3-venv (must fail with the hint)"
if make demo > /tmp/no-venv.log 2>&1; then echo "make demo passed without python3-venv?"; exit 1; fi
grep -q "python3-venv" /tmp/no-venv.log || { cat /tmp/no-venv.log; exit 1; }
python3 -m venv .venv > /dev/null 2>&1 || true
half=0; [ -x .venv/bin/python ] && [ ! -x .venv/bin/pip ] && half=1 && echo "== a half-made .venv is left, as in the issue"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $prereq
echo "== make demo"
t0=\$(date +%s); make demo 2>&1 | tee /tmp/demo.log; echo "== make demo: ok in \$(( \$(date +%s) - t0 )) s"
[ "\$half" = 0 ] || grep -q "删除后重建" /tmp/demo.log || { echo "the half-made .venv was not rebuilt"; exit 1; }
! grep -q -i "deprecat" /tmp/demo.log || { echo "make demo printed a deprecation banner"; exit 1; }
echo "== make test"
t0=\$(date +%s); CI=true make test; echo "== make test: ok in \$(( \$(date +%s) - t0 )) s"
EOF
)
set +e
unshare --mount --pid --fork --kill-child bash -c '
  set -e; root=$1
  mount --make-rprivate /
  mount --rbind /dev "$root/dev"; mount --rbind /sys "$root/sys"
  # env -i: nothing of the host environment (pip settings, proxies, PATH) leaks into the root
  exec env -i /usr/sbin/chroot "$root" /bin/bash -c "$2"' _ "$root" "$inner"
rc=$?
set -e
minutes=$(( ($(date -u +%s) - started + 59) / 60 ))
summary=$( { grep -E '[0-9]+ (passed|failed|errors?)\b.* in [0-9.]+s' "$log" || true; } | tail -1 | tr -d '=' \
  | sed 's/^ *//;s/ *$//')
skips=$( { grep -E '^SKIPPED ' "$log" || true; } | sed 's/^/  - /')
if [ $rc -eq 0 ]; then verdict="passed"; else verdict="FAILED (exit $rc)"; fi
cat > "$repo/docs/dev/clean-root-check.md" <<EOF
# Last clean-root check

Written by \`scripts/clean-root-check.sh\` (\`make clean-root-check\`); do not edit by hand.

- Result: **$verdict**
- Tree: commit \`$commit\`; run $(date -u -d "@$started" '+%Y-%m-%d %H:%M UTC'), $minutes min in total
- Root: Debian 12 bookworm, mmdebstrap --variant=minbase, then \`apt-get install $prereq\` (the README's prerequisites)
- Steps: \`apt-get install python3 make\` only → \`make demo\` must stop naming python3-venv; a
  half-made \`.venv\` (\`python3 -m venv\` without ensurepip) is left; the prerequisites installed →
  \`make demo\` must rebuild that \`.venv\` and print no deprecation banner → \`CI=true make test\`
  (a skip for a missing system package fails the run)
- pytest: ${summary:-no summary line (see the log)}
${skips:+- skipped (reason given by the test):
$skips
}
Steps as logged:

\`\`\`
$( { grep -E '^== |删除后重建' "$log" || true; } )
\`\`\`
EOF
# the one line of the README's developer section that cites the last result
line="$verdict on $(date -u -d "@$started" '+%Y-%m-%d') (commit $commit, Debian 12 bookworm minbase; ${summary:-see details})"
python3 - "$repo/README.md" "$line" <<'PY'
import re, sys
path, line = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
new = re.sub(r"<!-- clean-root-check -->.*?<!-- /clean-root-check -->",
             lambda m: f"<!-- clean-root-check -->{line}<!-- /clean-root-check -->", text, flags=re.S)
open(path, "w", encoding="utf-8").write(new)
PY
echo "== clean-root check: $verdict ($minutes min); result in docs/dev/clean-root-check.md, log in $log"
exit $rc
