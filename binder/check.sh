#!/usr/bin/env bash
# Builds the Binder image from binder/Dockerfile and uses it as Binder does: serve the notebooks,
# then execute every one of them through that server. Run as `./reprolab binder-check [NAME ...]`
# (names: run only those notebooks through the server; the image's build executes all of them).
#
# No image registry is reachable on the machines this runs on, so the Dockerfile's public base
# (eclipse-temurin:25-jdk-noble) is replaced by one made here: a debootstrapped minbase Debian with
# the same extras as the Temurin image (CA certificates, curl, fontconfig, a UTF-8 locale) and the
# local Temurin 25 copied to /opt/java/openjdk with JAVA_HOME and PATH set as that image sets them.
# Only FROM changes (the BASE_IMAGE build argument); every other step is binder/Dockerfile's own.
#
# Needs root: debootstrap and buildah's vfs storage create files owned by other users. What runs
# inside is unprivileged: the image's USER (jovyan, uid 1000) builds the project, runs the server
# and the kernels. Storage lives in one temporary directory, deleted at the end with the containers.
#
# The host's local CA certificates (/usr/local/share/ca-certificates) and the JDK's trust store are
# carried into the base, so HTTPS (Maven Central) verifies inside wherever it verifies on the host.
#
#   REPROLAB_BINDER_WORK=DIR   keep everything in DIR and reuse a base/image already built there
#   REPROLAB_BINDER_SUITE, REPROLAB_BINDER_MIRROR   the Debian release and mirror (bookworm, deb.debian.org)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY=/usr/bin/python3
SUITE="${REPROLAB_BINDER_SUITE:-bookworm}"
MIRROR="${REPROLAB_BINDER_MIRROR:-http://deb.debian.org/debian}"
HOST_PACKAGES=(buildah debootstrap python3-tornado)
BASE_IMAGE=localhost/reprolab-binder-base
IMAGE=localhost/reprolab-binder
NEEDED_GB=20

say() { printf '\033[1m[binder-check]\033[0m %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[[ "$(id -u)" -eq 0 ]] || die "run as root: debootstrap and buildah's storage need it (the image's own steps run as its unprivileged user)"
command -v apt-get >/dev/null || die "needs Debian's apt-get to install: ${HOST_PACKAGES[*]}"
missing=()
for p in "${HOST_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
JDK="${JAVA_HOME:?set JAVA_HOME to the JDK 25+ to copy into the base (./reprolab binder-check does)}"

if [[ -n "${REPROLAB_BINDER_WORK:-}" ]]; then
  WORK="$REPROLAB_BINDER_WORK"; KEEP=1; mkdir -p "$WORK"
else
  WORK="$(mktemp -d /tmp/reprolab-binder.XXXXXX)"; KEEP=0
fi
WORK="$(cd "$WORK" && pwd)"
free_gb=$(df -P -BG "$WORK" | awk 'NR==2 {print int($4)}')
((free_gb >= NEEDED_GB)) || die "$WORK has ${free_gb} GB free; the vfs storage needs about ${NEEDED_GB} GB"
say "work directory $WORK (${free_gb} GB free)"

# TMPDIR: buildah mounts a running container's root under it, so the kernels' roots are inside $WORK
mkdir -p "$WORK/tmp"
B=(env TMPDIR="$WORK/tmp" buildah --root "$WORK/storage" --runroot "$WORK/runroot" --storage-driver vfs)
SERVER_PID=""; CONTAINER=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  fi
  # kernels run in their own sessions: end whatever still has its root inside our storage, by id
  local proc
  for proc in /proc/[0-9]*; do
    [[ "$(readlink "$proc/root" 2>/dev/null)" == "$WORK"/* ]] && kill -KILL "${proc#/proc/}" 2>/dev/null || true
  done
  [[ -n "$CONTAINER" ]] && "${B[@]}" rm "$CONTAINER" >/dev/null 2>&1 || true
  if ((KEEP)); then
    say "kept $WORK (images $BASE_IMAGE, $IMAGE); delete it with: buildah --root $WORK/storage --runroot $WORK/runroot --storage-driver vfs rmi --all && rm -rf $WORK"
  else
    "${B[@]}" rm --all >/dev/null 2>&1 || true
    "${B[@]}" rmi --all --force >/dev/null 2>&1 || true
    grep -o " $WORK[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf "$WORK"
    say "removed $WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT INT TERM

image_exists() { "${B[@]}" inspect --type image "$1" >/dev/null 2>&1; }

# --- 1. the base: what eclipse-temurin:25-jdk-noble provides, made from Debian packages and the local JDK
if image_exists "$BASE_IMAGE"; then
  say "base $BASE_IMAGE already in $WORK"
else
  start=$SECONDS
  rm -rf "$WORK/rootfs" && mkdir -p "$WORK/base"
  say "debootstrap $SUITE from $MIRROR"
  debootstrap --variant=minbase --include=ca-certificates,curl,fontconfig,locales,tzdata,p11-kit \
    "$SUITE" "$WORK/rootfs" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  {
    echo "deb $MIRROR $SUITE main"
    echo "deb $MIRROR $SUITE-updates main"
    [[ "$MIRROR" == *deb.debian.org* ]] && echo "deb http://deb.debian.org/debian-security $SUITE-security main"
  } > "$WORK/rootfs/etc/apt/sources.list"
  # the machine's own CA certificates (an egress proxy's, say) so HTTPS verifies inside as it does here
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$WORK/rootfs/usr/local/share/ca-certificates/"
    chroot "$WORK/rootfs" update-ca-certificates >/dev/null 2>&1
  fi
  # as in Debian's and Ubuntu's official images: apt keeps no downloaded .debs (about 300 MB here)
  cat > "$WORK/rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo "en_US.UTF-8 UTF-8" > "$WORK/rootfs/etc/locale.gen"
  chroot "$WORK/rootfs" locale-gen >/dev/null
  rm -rf "$WORK"/rootfs/var/lib/apt/lists/* "$WORK"/rootfs/var/cache/apt/*.bin
  mkdir -p "$WORK/rootfs/opt/java"
  cp -rL "$JDK" "$WORK/rootfs/opt/java/openjdk"   # -L: Debian's Temurin links its cacerts to /etc
  tar -C "$WORK/rootfs" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf "$WORK/base/rootfs.tar" .
  rm -rf "$WORK/rootfs"
  cat > "$WORK/base/Containerfile" <<'EOF'
FROM scratch
ADD rootfs.tar /
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=en_US.UTF-8 LANGUAGE=en_US:en LC_ALL=en_US.UTF-8
CMD ["jshell"]
EOF
  "${B[@]}" bud --isolation chroot -q -t "$BASE_IMAGE" "$WORK/base" >/dev/null
  rm -rf "$WORK/base"
  say "base built in $((SECONDS - start)) s"
fi

# --- 2. the image: binder/Dockerfile itself, on the repository's tracked files (what Binder clones)
if image_exists "$IMAGE"; then
  say "image $IMAGE already in $WORK"
else
  rm -rf "$WORK/context" && mkdir -p "$WORK/context"
  (cd "$ROOT" && git ls-files -z | tar --null -T - -cf -) | tar -C "$WORK/context" -xf -
  say "building binder/Dockerfile (log: $WORK/build.log)"
  start=$SECONDS
  "${B[@]}" bud --isolation chroot --build-arg BASE_IMAGE="$BASE_IMAGE" \
    -f "$WORK/context/binder/Dockerfile" -t "$IMAGE" "$WORK/context" > "$WORK/build.log" 2>&1 \
    || { tail -40 "$WORK/build.log" >&2; die "the image build failed (log above)"; }
  BUILD_SECONDS=$((SECONDS - start))
  rm -rf "$WORK/context"
  grep -E 'executed [0-9]+ cells' "$WORK/build.log" | sed 's/^/    build: /' >&2 || true
  say "image built in ${BUILD_SECONDS} s"
fi
SIZE="$("${B[@]}" images --format '{{.Size}}' "$IMAGE" | head -n1)"
say "image $IMAGE: $SIZE"

# --- 3. run it as Binder does: as the image's USER, Binder's own command `jupyter-notebook` (Binder
# ignores the image's CMD) with Binder's kind of arguments, bound to 127.0.0.1 here
config() {  # a field of the image's OCI config (buildah 1.28's --format has no json function)
  "${B[@]}" inspect --type image "$IMAGE" | $PY -c '
import json, sys
value = json.load(sys.stdin)["OCIv1"]["config"].get(sys.argv[1]) or ""
print("\n".join(value) if isinstance(value, list) else value)' "$1"
}
user="$(config User)"
[[ -n "$user" && "$user" != root && "$user" != 0 ]] || die "the image's USER is '${user:-root}'; Binder runs it as an unprivileged user"
CONTAINER="$("${B[@]}" from -q "$IMAGE")"
uid="$("${B[@]}" run --isolation chroot "$CONTAINER" -- id -u)"
[[ "$uid" != 0 ]] || die "processes in the container run as root"
PORT="$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
TOKEN="$($PY -c 'import secrets; print(secrets.token_hex(16))')"
say "starting jupyter-notebook as $user (uid $uid) on 127.0.0.1:$PORT"
setsid "${B[@]}" run --isolation chroot "$CONTAINER" -- jupyter-notebook \
  --ip=127.0.0.1 --port="$PORT" --NotebookApp.token="$TOKEN" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!

# --- 4. every notebook through the server: sessions, kernels and websockets, as the browser uses them
expected=$(ls "$ROOT"/notebooks/*.ipynb | wc -l)
if $PY "$ROOT/binder/through_server.py" --url "http://127.0.0.1:$PORT" --token "$TOKEN" --expect "$expected" "$@"; then
  say "ok: image $SIZE${BUILD_SECONDS:+, built in ${BUILD_SECONDS} s}; ${*:-all $expected} notebook(s) ran through its server"
else
  rc=$?
  tail -30 "$WORK/server.log" | sed 's/^/    server: /' >&2
  exit "$rc"
fi
