#!/usr/bin/env bash
# Builds the Lambda function package for the java21 managed runtime, one architecture at a time:
#   dist/function.zip  what infra/template.yaml deploys (CodeUri)
#   dist/function/     the same files unpacked, for infra/Dockerfile
# Inside:
#   lib/     the handler, inference-core, the bundle's engine (TFLite or ONNX) and their dependencies,
#            with no native library inside any jar
#   native/  that engine's native libraries for the architecture, loaded in place (the template points
#            JavaCPP and ONNX Runtime there), so a cold start writes nothing to /tmp
#   model/   the model bundle, checksums verified (MODEL_BUNDLE=/var/task/model)
set -euo pipefail
usage="usage: infra/package-function.sh BUNDLE [--arch x86_64|arm64]
  BUNDLE  a TFLite or ONNX bundle folder or zip (e.g. runs/mobilenet-v2/converted/tflite-float32)
  --arch  the Lambda architecture (default x86_64); deploy with the same Architecture parameter"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle=""
arch="x86_64"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) echo "$usage"; exit 0 ;;
    --arch) arch="${2:?--arch needs x86_64 or arm64}"; shift 2 ;;
    --arch=*) arch="${1#--arch=}"; shift ;;
    -*) echo "unknown option: $1" >&2; echo "$usage" >&2; exit 2 ;;
    *) [[ -z "$bundle" ]] || { echo "one BUNDLE only, got '$bundle' and '$1'" >&2; exit 2; }; bundle="$1"; shift ;;
  esac
done
[[ -n "$bundle" ]] || { echo "$usage" >&2; exit 2; }
case "$arch" in
  x86_64) platform=linux-x86_64 ;;
  arm64) platform=linux-arm64 ;;
  *) echo "unknown architecture '$arch': use x86_64 or arm64" >&2; exit 2 ;;
esac
[[ -e "$bundle" ]] || { echo "no bundle at $bundle (convert one first: see README, 'Convert for serving')" >&2; exit 2; }

zip="$root/dist/function.zip"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/model"
# The JDK's jar tool reads zips, so nothing beyond the JDK is needed.
if [[ -d "$bundle" ]]; then cp "$bundle"/* "$work/model/"; else (cd "$work/model" && jar xf "$(realpath "$bundle")"); fi
(cd "$work/model" && sha256sum --quiet -c checksums.sha256)
engine="$(grep -o '"runtime"[[:space:]]*:[[:space:]]*"[a-z0-9]*"' "$work/model/bundle.json" | grep -o '"[a-z0-9]*"$' | tr -d '"')"
case "$engine" in
  tflite|onnx) ;;
  *) echo "$bundle is a '$engine' bundle; the function serves tflite or onnx bundles (convert it first)" >&2; exit 2 ;;
esac

# Maven resolves the handler's runtime jars with this engine and this architecture's natives.
lib="$root/lambda-function/target/function-lib"
rm -rf "$lib"
(cd "$root" && ./mvnw -q -B -ntp -pl lambda-function -am package -DskipTests \
  -Dfunction.engine="$engine" -Djavacpp.platform="$platform")
cp "$root"/lambda-function/target/lambda-function-*.jar "$lib/"

rm -rf "$root/dist/function"
java "$root/lambda-tools/src/main/java/dev/clothes/lambda/deploy/FunctionPackager.java" \
  "$lib" "$work/model" "$arch" "$root/dist/function" "$zip"
