#!/usr/bin/env bash
# Build deploy/Dockerfile as IMAGE on the base image BASE, installing the wheel that
# deploy/image/wheel.sh left in build/image/wheel/dist (given as the build context `wheel`,
# which replaces the Dockerfile's stages that build it), with the first engine found:
# buildah (vfs storage and chroot isolation: no daemon, no kernel overlay, no registry needed
# when BASE is local), a Docker daemon that answers, or Podman. ENGINE=buildah|docker|podman
# picks one.
#
# Docker caches layers itself. With buildah and Podman the dependency stage (`deps`: Python,
# the SDKs, the user) is built once as localhost/quantumflow-deps:<digest of its inputs> and
# given to the image build as a build context, so a code change copies the dependency tree
# once instead of once per cached step (vfs stores every layer as a full copy). The image is
# labelled with a digest of all its inputs: when IMAGE already carries it, nothing is rebuilt.
# Usage: deploy/image/build.sh IMAGE BASE
set -euo pipefail
cd "$(dirname "$0")/../.."
image=${1:?usage: build.sh IMAGE BASE}
base=${2:?usage: build.sh IMAGE BASE}

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
case $engine in
  buildah)
    run=(buildah --storage-driver "${BUILDAH_STORAGE_DRIVER:-vfs}")
    build=("${run[@]}" bud --isolation chroot --format docker)
    inspect=("${run[@]}" inspect --type image --format)
    id_of='{{.FromImageID}}' labels='.OCIv1.Config.Labels' names='{{.Name}}:{{.Tag}}' ;;
  podman)
    run=(podman)
    build=(podman build --format docker)
    inspect=(podman image inspect --format)
    id_of='{{.Id}}' labels='.Config.Labels' names='{{.Repository}}:{{.Tag}}' ;;
  docker)
    run=(docker)
    build=(docker build)  # BuildKit: reads deploy/Dockerfile.dockerignore, caches layers
    inspect=(docker image inspect --format)
    id_of='{{.Id}}' labels='.Config.Labels' ;;
  *) echo "make image: unknown ENGINE=$engine (buildah, docker or podman)" >&2; exit 1 ;;
esac
ls build/image/wheel/dist/quantumflow-*.whl >/dev/null

base_id=$("${inspect[@]}" "$id_of" "$base" 2>/dev/null || echo "$base")
digest() { { cat; echo "$engine $base $base_id"; } | sha256sum | cut -c1-16; }
# The dependency stage's inputs: the Dockerfile up to stage 4, the requirements it installs
# (not all of pyproject.toml: its tool settings change more often), the base.
requirements=$(python3 deploy/image/requirements.py pyproject.toml all 2>/dev/null || cat pyproject.toml)
deps_inputs=$({ sed '/^FROM deps AS runtime/,$d' deploy/Dockerfile
                cat deploy/image/requirements.py; echo "$requirements"; } | digest)
inputs=$(sha256sum deploy/Dockerfile build/image/wheel/dist/quantumflow-*.whl \
         | { cat; echo "$deps_inputs"; } | digest)
label=org.quantumflow.image.inputs
built=$("${inspect[@]}" "{{index $labels \"$label\"}}" "$image" 2>/dev/null || true)
if [ "$built" = "$inputs" ]; then
  echo "$image is up to date (inputs $inputs)"
  exit 0
fi

args=(-f deploy/Dockerfile --build-arg "BASE=$base" --build-context wheel=build/image/wheel)
# Behind a TLS-inspecting proxy pip needs its CA bundle: passed as a build secret, not stored.
if [ -n "${PIP_CERT:-}" ] && [ -f "$PIP_CERT" ]; then
  args+=(--secret "id=pip-ca,src=$PIP_CERT")
fi
if [ "$engine" = docker ]; then
  DOCKER_BUILDKIT=1 "${build[@]}" "${args[@]}" --label "$label=$inputs" -t "$image" .
  size=$(docker image inspect --format '{{.Size}}' "$image")
  echo "$image built with docker on $base: $size bytes"
  exit 0
fi

ignore=(--ignorefile deploy/Dockerfile.dockerignore)
deps=localhost/quantumflow-deps:$deps_inputs
if ! "${inspect[@]}" "$id_of" "$deps" >/dev/null 2>&1; then
  "${build[@]}" "${ignore[@]}" "${args[@]}" --target deps -t "$deps" .
fi
"${build[@]}" "${ignore[@]}" "${args[@]}" --build-context "deps=container-image://$deps" \
  --label "$label=$inputs" -t "$image" .

# Earlier dependency images and untagged images of earlier builds would fill the disk. Remove
# them leaf first, skipping any a container still uses; the layers of the new image stay.
for old in $("${run[@]}" images --format "$names" | grep '^localhost/quantumflow-deps:'); do
  [ "$old" = "$deps" ] || "${run[@]}" rmi "$old" >/dev/null 2>&1 || true
done
while :; do
  removed=0
  for id in $("${run[@]}" images -a -q --filter dangling=true); do
    "${run[@]}" rmi "$id" >/dev/null 2>&1 && removed=1
  done
  [ "$removed" = 1 ] || break
done
size=$("${run[@]}" images --format '{{.Size}}' "$image")
echo "$image built with $engine on $base: $size (dependencies: $deps)"
