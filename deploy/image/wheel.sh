#!/usr/bin/env bash
# Build the wheel the image installs, once, on this machine, as CI's wheel job does: the lab
# extension in production mode, then maturin (release) with it and the server-extension config
# inside. The working tree's files (tracked, plus untracked ones git does not ignore) are staged
# under build/image/src, so the production build does not replace the development build that
# `make labext` links into .venv; Cargo shares the repository's target/ (dependencies compiled
# once). Output: the only wheel in build/image/wheel/dist/; build/image/wheel is the build
# context `wheel` of deploy/Dockerfile, which replaces the stages that build the wheel there.
# Usage: deploy/image/wheel.sh VENV   (a venv with maturin and jupyter-builder: make install)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
venv=$(cd "${1:?usage: wheel.sh VENV}" && pwd)
stage=build/image

rm -rf "$stage/src" "$stage/wheel"
mkdir -p "$stage/src" "$stage/wheel/dist"
git ls-files -z --cached --others --exclude-standard -- \
    Cargo.toml Cargo.lock pyproject.toml README.md rust quantumflow labextension jupyter-data \
  | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null \
  | tar -C "$stage/src" -xf -

# The repository's node_modules (npm install) serves the staged copy; with it in place
# jupyter-builder does not try to install the dependencies itself.
ln -s "$root/node_modules" "$stage/src/labextension/node_modules"
(cd "$stage/src/labextension" && PATH="$venv/bin:$PATH" npm run --silent build:prod)
test -f "$stage/src/jupyter-data/data/share/jupyter/labextensions/quantumflow/package.json"

(cd "$stage/src" && CARGO_TARGET_DIR="$root/target" "$venv/bin/maturin" build --release --locked \
  --interpreter "$venv/bin/python" --out "$root/$stage/wheel/dist" --quiet)
ls "$stage"/wheel/dist/quantumflow-*.whl
