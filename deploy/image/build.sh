#!/usr/bin/env bash
# Build deploy/Dockerfile as IMAGE on the base image BASE, installing the wheel that
# deploy/image/wheel.sh left in build/image/wheel/dist (given as the build context `wheel`,
# which replaces the Dockerfile's stages that build it), with the first engine found:
# buildah (vfs storage and chroot isolation: no daemon, no kernel overlay, no registry needed
# when BASE is local), a Docker daemon that answers, or Podman. ENGINE=buildah|docker|podman
# picks one. Layers are cached: a code change rebuilds only the layer that installs the wheel.
# The image is labelled with a digest of its inputs (wheel, Dockerfile, pyproject.toml, base);
# when IMAGE already carries the same digest nothing is rebuilt.
# Usage: deploy/image/build.sh IMAGE BASE
set -euo pipefail
cd "$(dirname "$0")/../.."
image=${1:?usage: build.sh IMAGE BASE}
base=${2:?usage: build.sh IMAGE BASE}
storage=${BUILDAH_STORAGE_DRIVER:-vfs}

engine=${ENGINE:-}
if [ -z "$engine" ]; then
  if command -v buildah >/dev/null; then engine=buildah
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then engine=docker
  elif command -v podman >/dev/null; then engine=podman
  else
    echo "make image: no buildah, answering Docker daemon or Podman (apt-get install buildah)" >&2
    exit 1
  fi
fi
ls build/image/wheel/dist/quantumflow-*.whl >/dev/null

label=org.quantumflow.image.inputs
case $engine in
  buildah)
    inspect=(buildah --storage-driver "$storage" inspect --type image --format)
    id_of='{{.FromImageID}}' labels='.OCIv1.Config.Labels' ;;
  docker | podman)
    inspect=("$engine" image inspect --format)
    id_of='{{.Id}}' labels='.Config.Labels' ;;
  *) echo "make image: unknown ENGINE=$engine (buildah, docker or podman)" >&2; exit 1 ;;
esac
base_id=$("${inspect[@]}" "$id_of" "$base" 2>/dev/null || echo "$base")
inputs=$({ sha256sum build/image/wheel/dist/quantumflow-*.whl deploy/Dockerfile \
             deploy/image/requirements.py pyproject.toml; echo "$engine $base $base_id"; } \
         | sha256sum | cut -c1-32)
built=$("${inspect[@]}" "{{index $labels \"$label\"}}" "$image" 2>/dev/null || true)
if [ "$built" = "$inputs" ]; then
  echo "$image is up to date (inputs $inputs)"
  exit 0
fi

args=(-f deploy/Dockerfile --build-arg "BASE=$base" --build-context wheel=build/image/wheel
      --label "$label=$inputs" -t "$image")
# Behind a TLS-inspecting proxy pip needs its CA bundle: passed as a build secret, not stored.
if [ -n "${PIP_CERT:-}" ] && [ -f "$PIP_CERT" ]; then
  args+=(--secret "id=pip-ca,src=$PIP_CERT")
fi
case $engine in
  buildah)
    # --format docker keeps HEALTHCHECK (the OCI format has no field for it).
    buildah --storage-driver "$storage" bud --isolation chroot --layers --format docker \
      --ignorefile deploy/Dockerfile.dockerignore "${args[@]}" .
    # Untagged images of earlier builds (replaced wheel layers) would fill the disk: vfs
    # stores every layer as a full copy. Cached layers still in use by the image are kept.
    buildah --storage-driver "$storage" rmi --prune >/dev/null || true
    size=$(buildah --storage-driver "$storage" images --format '{{.Size}}' "$image")
    ;;
  docker)
    DOCKER_BUILDKIT=1 docker build "${args[@]}" .   # reads deploy/Dockerfile.dockerignore
    size=$(docker image inspect --format '{{.Size}}' "$image")
    ;;
  podman)
    podman build --layers --format docker --ignorefile deploy/Dockerfile.dockerignore "${args[@]}" .
    size=$(podman images --format '{{.Size}}' "$image")
    ;;
esac
echo "$image built with $engine on $base: $size"
