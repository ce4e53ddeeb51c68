#!/usr/bin/env bash
# Packages the function for one architecture and deploys infra/template.yaml with the AWS SAM CLI.
# Everything it needs (sam, credentials, region) is checked before the slow packaging step.
set -euo pipefail

usage() {
  printf '%s\n' \
    "Usage: infra/deploy.sh BUNDLE [--arch x86_64|arm64] [--stack-name NAME] [--region REGION]" \
    "  BUNDLE        model bundle directory or zip (e.g. runs/mobilenet-v2/converted/tflite-float32)" \
    "  --arch        Lambda architecture: x86_64 (default) or arm64 (Graviton, ~20 % cheaper per GB-second)" \
    "  --stack-name  CloudFormation stack name (default: clothes-classifier)" \
    "  --region      AWS region (default: \$AWS_REGION, then \$AWS_DEFAULT_REGION)" \
    "Needs the AWS SAM CLI and AWS credentials; prints the stack's PredictUrl."
}
die() { echo "deploy.sh: $1" >&2; exit 2; }
bad_usage() { echo "deploy.sh: $1" >&2; usage >&2; exit 2; }

bundle="" arch="x86_64" stack="" region=""
while (($#)); do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --arch|--stack-name|--region)
      (($# >= 2)) || bad_usage "$1 needs a value"
      case "$1" in --arch) arch="$2" ;; --stack-name) stack="$2" ;; --region) region="$2" ;; esac
      shift 2 ;;
    -*) bad_usage "unknown option '$1'" ;;
    *) [[ -z "$bundle" ]] || bad_usage "one BUNDLE only, got '$bundle' and '$1'"
       bundle="$1"; shift ;;
  esac
done
[[ -n "$bundle" ]] || bad_usage "BUNDLE is missing"
case "$arch" in
  x86_64|arm64) ;;
  *) die "--arch must be x86_64 or arm64, got '$arch'" ;;
esac

command -v sam >/dev/null 2>&1 || die "sam (the AWS SAM CLI) is not installed: pip install aws-sam-cli, see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/install-sam-cli.html"

has_credentials() {
  [[ -n "${AWS_ACCESS_KEY_ID:-}${AWS_PROFILE:-}${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ]] && return 0
  [[ -n "${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-}${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}" ]] && return 0
  [[ -f "${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}" || -f "${AWS_CONFIG_FILE:-$HOME/.aws/config}" ]]
}
has_credentials || die "no AWS credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or run 'aws configure' (writes ~/.aws/credentials)"

region="${region:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}"
[[ -n "$region" ]] || die "no AWS region: pass --region REGION or set AWS_REGION (or AWS_DEFAULT_REGION)"
stack="${stack:-clothes-classifier}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Run from the caller's directory so a relative BUNDLE means what the caller meant.
"$root/infra/package-function.sh" "$bundle" --arch "$arch"
cd "$root"
sam deploy --template-file infra/template.yaml --stack-name "$stack" --region "$region" \
  --capabilities CAPABILITY_IAM --resolve-s3 --no-confirm-changeset --no-fail-on-empty-changeset \
  --parameter-overrides "Architecture=$arch"

# sam prints outputs only when the stack changed; ask for them so every run ends with the URL.
outputs="$(sam list stack-outputs --stack-name "$stack" --region "$region" --output json)"
url="$(grep -o 'https://[^"]*/predict' <<<"$outputs" | head -n 1 || true)"
[[ -n "$url" ]] || { echo "deploy.sh: no PredictUrl among the stack outputs:" >&2; echo "$outputs" >&2; exit 1; }
echo "PredictUrl ($arch, $region): $url"
