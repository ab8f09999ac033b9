#!/usr/bin/env bash
# Publishes the bundled sample events to the local stack's SNS topic, the way AWS would deliver them:
#   events/rds-subscription/*.json  the JSON an RDS event subscription publishes (SNS subject
#                                   "RDS Notification Message", message attributes EventID and Resource);
#   events/eventbridge/*.json       an EventBridge event; a rule that targets SNS publishes it whole.
# Snapline receives each wrapped in an SNS envelope (raw delivery is off) on snapline-events.
#
# Usage: localstack/publish-sample-events.sh [event.json ...]   (default: every bundled event)
# Uses awslocal if it is on PATH, else the AWS CLI against ${LOCALSTACK_ENDPOINT:-http://localhost:4566}.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
region="${AWS_DEFAULT_REGION:-us-east-1}"
topic_arn="arn:aws:sns:${region}:000000000000:snapline-rds-events"

if command -v awslocal >/dev/null 2>&1; then
  cli=(awslocal --region "${region}")
else
  export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
  cli=(aws --endpoint-url "${LOCALSTACK_ENDPOINT:-http://localhost:4566}" --region "${region}")
fi

files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  files=("${here}"/events/rds-subscription/*.json "${here}"/events/eventbridge/*.json)
fi

for file in "${files[@]}"; do
  message="$(tr -d '\n' <"${file}")"
  event_id="$(grep -o 'RDS-EVENT-[0-9]\{4\}' <<<"${message}" | head -n 1 || true)"
  if grep -q '"Event Source"' <<<"${message}"; then
    # RDS event subscription: RDS sets the subject and the EventID/Resource attributes.
    resource="$(sed -n 's/.*"Source ARN":"\([^"]*\)".*/\1/p' <<<"${message}")"
    attributes="{\"EventID\":{\"DataType\":\"String\",\"StringValue\":\"${event_id}\"},\"Resource\":{\"DataType\":\"String\",\"StringValue\":\"${resource}\"}}"
    id="$("${cli[@]}" sns publish --topic-arn "${topic_arn}" --subject "RDS Notification Message" \
      --message "${message}" --message-attributes "${attributes}" --query MessageId --output text)"
  else
    # EventBridge event forwarded by SNS: no subject, the whole event is the message.
    id="$("${cli[@]}" sns publish --topic-arn "${topic_arn}" --message "${message}" \
      --query MessageId --output text)"
  fi
  echo "published ${event_id:-event} from ${file#"${here}"/} as SNS message ${id}"
done

echo "now watch Snapline: docker compose -f ${here}/docker-compose.yml logs -f snapline"
