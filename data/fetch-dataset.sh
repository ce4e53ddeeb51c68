#!/usr/bin/env bash
# Fetches clothing-dataset-small (CC0, A. Grigorev) and verifies every file against
# clothing-dataset-small.sha256. Usage: data/fetch-dataset.sh [TARGET_DIR]
# Override the source with DATASET_REPO (a git URL or a local clone) and DATASET_REF (a commit).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target="${1:-$here/clothing-dataset-small}"
repo="${DATASET_REPO:-https://github.com/alexeygrigorev/clothing-dataset-small.git}"
ref="${DATASET_REF:-master}"

if [[ -d "$target/train" ]]; then
  echo "$target already exists; verifying it"
else
  mkdir -p "$(dirname "$target")"
  tmp="$(mktemp -d "$(dirname "$target")/.fetch.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  git clone --quiet --depth 1 --branch "$ref" "$repo" "$tmp/repo"
  (cd "$tmp/repo" && sha256sum --quiet -c "$here/clothing-dataset-small.sha256")
  mkdir -p "$target"
  mv "$tmp/repo/train" "$tmp/repo/validation" "$tmp/repo/test" "$target/"
fi
cd "$target" && sha256sum --quiet -c "$here/clothing-dataset-small.sha256" && echo "OK: $(wc -l < "$here/clothing-dataset-small.sha256") files verified in $target"
