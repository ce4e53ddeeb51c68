#!/usr/bin/env bash
# Packages the function for one architecture and deploys infra/template.yaml with the AWS SAM CLI.
# Everything it needs (sam, credentials, region) is checked before the slow packaging step.
set -euo pipefail

usage() {
  printf '%s\n' \
    "Usage: infra/deploy.sh BUNDLE [--arch x86_64|arm64] [--auth API_KEY|IAM|NONE] [--stack-name NAME] [--region REGION] [--parameter KEY=VALUE]..." \
    "  BUNDLE        model bundle directory or zip (e.g. runs/mobilenet-v2/converted/tflite-float32)" \
    "  --arch        Lambda architecture: x86_64 (default) or arm64 (Graviton, ~20 % cheaper per GB-second)" \
    "  --auth        who may call POST /predict: API_KEY (default: x-api-key header, usage plan with a daily quota)," \
    "                IAM (SigV4-signed requests) or NONE (anyone who finds the URL; a warning is printed)" \
    "  --stack-name  CloudFormation stack name (default: clothes-classifier)" \
    "  --region      AWS region (default: \$AWS_REGION, then \$AWS_DEFAULT_REGION)" \
    "  --parameter   any other infra/template.yaml parameter, e.g. ReservedConcurrency=20, Tracing=Active," \
    "                DeploymentType=AllAtOnce, UnsureRateThreshold=0.3, AlarmTopicArn=arn:aws:sns:... (repeatable)" \
    "Needs the AWS SAM CLI and AWS credentials; prints the stack's PredictUrl, how to read the API key, and where" \
    "the logs, metrics and alarms are."
}
die() { echo "deploy.sh: $1" >&2; exit 2; }
bad_usage() { echo "deploy.sh: $1" >&2; usage >&2; exit 2; }

bundle="" arch="x86_64" stack="" region="" auth="API_KEY"
overrides=()
while (($#)); do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --arch|--stack-name|--region|--auth|--parameter)
      (($# >= 2)) || bad_usage "$1 needs a value"
      case "$1" in
        --arch) arch="$2" ;; --stack-name) stack="$2" ;; --region) region="$2" ;; --auth) auth="$2" ;;
        --parameter)
          [[ "$2" =~ ^[A-Za-z0-9]+=.*$ ]] || bad_usage "--parameter needs KEY=VALUE, got '$2'"
          case "${2%%=*}" in
            Architecture) bad_usage "set Architecture with --arch, not --parameter" ;;
            Auth) bad_usage "set Auth with --auth, not --parameter" ;;
          esac
          overrides+=("$2") ;;
      esac
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
case "$auth" in
  API_KEY|IAM) ;;
  NONE)
    echo "deploy.sh: WARNING: --auth NONE deploys an open POST /predict: anyone who finds the URL can make the" \
      "function fetch URLs and spend your Lambda budget; only the stage throttle and ReservedConcurrency limit it." \
      "Use it for a short test, or put your own authorizer in front." >&2 ;;
  *) die "--auth must be API_KEY, IAM or NONE, got '$auth'" ;;
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
  --parameter-overrides "Architecture=$arch" "Auth=$auth" ${overrides[@]+"${overrides[@]}"}

# sam prints outputs only when the stack changed; ask for them so every run ends with the URL.
outputs="$(sam list stack-outputs --stack-name "$stack" --region "$region" --output json)"
url="$(grep -o 'https://[^"]*/predict' <<<"$outputs" | head -n 1 || true)"
[[ -n "$url" ]] || { echo "deploy.sh: no PredictUrl among the stack outputs:" >&2; echo "$outputs" >&2; exit 1; }
# One output's value from sam's JSON list, whatever the order of the keys inside each output.
output() { tr -d '\n' <<<"$outputs" | sed 's/}/}\n/g' | grep "\"OutputKey\": *\"$1\"" | grep -o '"OutputValue": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' || true; }
echo "PredictUrl ($arch, $region, auth $auth): $url"
case "$auth" in
  API_KEY)
    key_id="$(output ApiKeyId)"
    echo "API key: send it as the x-api-key header; read it with"
    echo "  API_KEY=\$(aws apigateway get-api-key --api-key ${key_id:-<ApiKeyId output>} --include-value --query value --output text --region $region)"
    echo "  curl -X POST '$url' -H \"x-api-key: \$API_KEY\" -H 'Content-Type: image/jpeg' --data-binary @shirt.jpg" ;;
  IAM) echo "IAM auth: sign requests with SigV4 (service execute-api), e.g. curl --aws-sigv4 'aws:amz:$region:execute-api' --user \"\$AWS_ACCESS_KEY_ID:\$AWS_SECRET_ACCESS_KEY\" ..." ;;
  NONE) echo "deploy.sh: WARNING: POST /predict is open to anyone (--auth NONE)." >&2 ;;
esac
echo "Logs: $(output LogGroup) (one JSON line per request; CloudWatch Logs Insights)."
echo "Metrics: CloudWatch namespace ClothesClassifier (totalMs, requests, unsure, predictions by label, errors by errorCode)."
echo "Alarms: $stack-*Alarm* in CloudWatch; any of them in ALARM during a deployment rolls the new version back."
