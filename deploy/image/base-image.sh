#!/usr/bin/env bash
# A Debian bookworm base image made from Debian's own packages, for building deploy/Dockerfile
# where no image registry can be reached (CI): `debootstrap --variant=minbase`, then the root
# file system is added to buildah as a local image. Made once: an existing image is kept.
# Needs root, buildah and debootstrap. Usage: deploy/image/base-image.sh IMAGE
set -euo pipefail
image=${1:?usage: base-image.sh IMAGE}
buildah=(buildah --storage-driver "${BUILDAH_STORAGE_DRIVER:-vfs}")
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

if "${buildah[@]}" inspect --type image "$image" >/dev/null 2>&1; then
  echo "$image: already built (buildah rmi $image to rebuild it)"
  exit 0
fi
for tool in buildah debootstrap; do
  command -v "$tool" >/dev/null || { echo "base-image: $tool not found (apt-get install $tool)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/var/tmp}/qf-base.XXXXXX")
container=
cleanup() {
  [ -z "$container" ] || "${buildah[@]}" rm "$container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
# The suites the official debian:bookworm image uses, so images built on it get security fixes.
rm -f "$work/rootfs/etc/apt/sources.list"
cat >"$work/rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: ${mirror}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${security}
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
tar -C "$work/rootfs" -cf "$work/rootfs.tar" .

container=$("${buildah[@]}" from scratch)
"${buildah[@]}" add "$container" "$work/rootfs.tar" / >/dev/null
"${buildah[@]}" config --env LANG=C.UTF-8 --cmd '["bash"]' \
  --label org.opencontainers.image.description="Debian bookworm minbase (debootstrap)" "$container"
"${buildah[@]}" commit --rm --quiet "$container" "$image" >/dev/null
container=
echo "$image: built from debootstrap bookworm minbase ($mirror)"
