#!/usr/bin/env bash
# Builds dist/function.zip for the Lambda java17/java21 managed runtime:
#   lib/function.jar  the handler with its dependencies (Linux x86_64 natives only)
#   model/            the model bundle the function serves (MODEL_BUNDLE=/var/task/model)
# Usage: infra/package-function.sh BUNDLE_DIR_OR_ZIP
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="${1:?usage: infra/package-function.sh BUNDLE (e.g. runs/mobilenet-v2/converted/tflite-float32)}"
(cd "$root" && ./mvnw -q -B -ntp -pl lambda-adapter -am package -DskipTests)
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib" "$stage/model"
cp "$root"/lambda-adapter/target/lambda-adapter-*-function.jar "$stage/lib/function.jar"
# The JDK's jar tool reads and writes zips, so nothing beyond the JDK is needed.
if [[ -d "$bundle" ]]; then cp "$bundle"/* "$stage/model/"; else (cd "$stage/model" && jar xf "$(realpath "$bundle")"); fi
(cd "$stage/model" && sha256sum --quiet -c checksums.sha256)
zip="$root/dist/function.zip"
mkdir -p "$root/dist"
rm -f "$zip"
jar --create --no-manifest --file "$zip" -C "$stage" lib -C "$stage" model
rm -rf "$root/dist/function" && cp -r "$stage" "$root/dist/function"   # unpacked, for infra/Dockerfile
echo "dist/function.zip: $(stat -c %s "$zip") bytes zipped, $(du -sb "$stage" | cut -f1) bytes unzipped (Lambda limit: 262,144,000)"
