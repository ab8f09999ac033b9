#!/usr/bin/env bash
# Creates, inside LocalStack, the topology of infra-terraform/modules/source-account (and the
# export bucket of modules/analytics-account): KMS key, SNS topics, the queue and its dead-letter
# queue with a redrive policy, the SNS subscription (raw delivery off), the EventBridge rules and
# schedules targeting the queue, the export bucket and the DynamoDB ledger table.
# LocalStack runs it once the emulator is ready; it is idempotent, so it can be re-run by hand:
#   docker compose -f localstack/docker-compose.yml exec localstack /etc/localstack/init/ready.d/10-snapline.sh
set -euo pipefail

region="${AWS_DEFAULT_REGION:-us-east-1}"
account="000000000000"
prefix="snapline"
bucket="${prefix}-exports"

aws_() {
  awslocal --region "${region}" "$@"
}

echo "snapline init: KMS key for the topic and queues"
key_id="$(aws_ kms list-aliases --query "Aliases[?AliasName=='alias/${prefix}-messaging'].TargetKeyId | [0]" --output text)"
if [[ -z "${key_id}" || "${key_id}" == "None" ]]; then
  key_id="$(aws_ kms create-key --description "${prefix}: SNS topic and SQS queues" --query KeyMetadata.KeyId --output text)"
  aws_ kms create-alias --alias-name "alias/${prefix}-messaging" --target-key-id "${key_id}"
fi
key_arn="arn:aws:kms:${region}:${account}:key/${key_id}"

echo "snapline init: export key and export role (what an export policy names; no emulator runs the export)"
export_key_id="$(aws_ kms list-aliases --query "Aliases[?AliasName=='alias/${prefix}-export'].TargetKeyId | [0]" --output text)"
if [[ -z "${export_key_id}" || "${export_key_id}" == "None" ]]; then
  export_key_id="$(aws_ kms create-key --description "${prefix}: RDS snapshot exports" --query KeyMetadata.KeyId --output text)"
  aws_ kms create-alias --alias-name "alias/${prefix}-export" --target-key-id "${export_key_id}"
fi
if ! aws_ iam get-role --role-name "${prefix}-rds-export" >/dev/null 2>&1; then
  aws_ iam create-role --role-name "${prefix}-rds-export" --assume-role-policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"export.rds.amazonaws.com"},"Action":"sts:AssumeRole"}]}' >/dev/null
fi

echo "snapline init: SNS topics"
topic_arn="$(aws_ sns create-topic --name "${prefix}-rds-events" \
  --attributes "KmsMasterKeyId=${key_arn}" --query TopicArn --output text)"
aws_ sns create-topic --name "${prefix}-notifications" --attributes "KmsMasterKeyId=${key_arn}" >/dev/null

echo "snapline init: queue and dead-letter queue"
dlq_url="$(aws_ sqs create-queue --queue-name "${prefix}-events-dlq" \
  --attributes "{\"MessageRetentionPeriod\":\"1209600\",\"KmsMasterKeyId\":\"${key_arn}\"}" \
  --query QueueUrl --output text)"
dlq_arn="arn:aws:sqs:${region}:${account}:${prefix}-events-dlq"
queue_arn="arn:aws:sqs:${region}:${account}:${prefix}-events"

redrive="{\\\"deadLetterTargetArn\\\":\\\"${dlq_arn}\\\",\\\"maxReceiveCount\\\":\\\"8\\\"}"
queue_url="$(aws_ sqs create-queue --queue-name "${prefix}-events" \
  --attributes "{\"VisibilityTimeout\":\"300\",\"ReceiveMessageWaitTimeSeconds\":\"20\",\"KmsMasterKeyId\":\"${key_arn}\",\"RedrivePolicy\":\"${redrive}\"}" \
  --query QueueUrl --output text)"

redrive_allow="{\\\"redrivePermission\\\":\\\"byQueue\\\",\\\"sourceQueueArns\\\":[\\\"${queue_arn}\\\"]}"
aws_ sqs set-queue-attributes --queue-url "${dlq_url}" \
  --attributes "{\"RedriveAllowPolicy\":\"${redrive_allow}\"}"

echo "snapline init: EventBridge rules and schedules -> queue"
rule_arns=()
put_rule() {
  local name="$1" description="$2" pattern="$3"
  rule_arns+=("$(aws_ events put-rule --name "${prefix}-${name}" --description "${description}" \
    --event-pattern "${pattern}" --query RuleArn --output text)")
  aws_ events put-targets --rule "${prefix}-${name}" --targets "Id=queue,Arn=${queue_arn}" >/dev/null
}
put_schedule() {
  local name="$1" expression="$2"
  rule_arns+=("$(aws_ events put-rule --name "${prefix}-${name}" --schedule-expression "${expression}" \
    --query RuleArn --output text)")
  aws_ events put-targets --rule "${prefix}-${name}" \
    --targets "[{\"Id\":\"queue\",\"Arn\":\"${queue_arn}\",\"Input\":\"{\\\"command\\\":\\\"${name}\\\"}\"}]" >/dev/null
}

put_rule export-finished "RDS export task finished (all nine event ids)" '{
  "source": ["aws.rds"],
  "detail-type": ["RDS DB Snapshot Event", "RDS DB Cluster Snapshot Event", "RDS DB Cluster Event"],
  "detail": {"EventID": ["RDS-EVENT-0159", "RDS-EVENT-0160", "RDS-EVENT-0161",
                         "RDS-EVENT-0162", "RDS-EVENT-0163", "RDS-EVENT-0164",
                         "RDS-EVENT-0234", "RDS-EVENT-0235", "RDS-EVENT-0236"]}}'
put_rule batch-job-status "S3 Batch Operations job status (CloudTrail)" '{
  "source": ["aws.s3"],
  "detail-type": ["AWS Service Event via CloudTrail"],
  "detail": {"eventSource": ["s3.amazonaws.com"], "eventName": ["JobCreated", "JobStatusChanged"]}}'
put_rule crawler-state "Glue crawler state change" '{
  "source": ["aws.glue"],
  "detail-type": ["Glue Crawler State Change"],
  "detail": {"state": ["Started", "Succeeded", "Failed"]}}'
put_schedule prune "rate(1 day)"
put_schedule reconcile "rate(6 hours)"

echo "snapline init: queue policy (the topic and the rules, by aws:SourceArn)"
rules_json="$(printf '\\"%s\\",' "${rule_arns[@]}")"
rules_json="[${rules_json%,}]"
policy="{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[
{\\\"Sid\\\":\\\"TopicDelivers\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"Service\\\":\\\"sns.amazonaws.com\\\"},\\\"Action\\\":\\\"sqs:SendMessage\\\",\\\"Resource\\\":\\\"${queue_arn}\\\",\\\"Condition\\\":{\\\"ArnEquals\\\":{\\\"aws:SourceArn\\\":\\\"${topic_arn}\\\"}}},
{\\\"Sid\\\":\\\"RulesDeliver\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"Service\\\":\\\"events.amazonaws.com\\\"},\\\"Action\\\":\\\"sqs:SendMessage\\\",\\\"Resource\\\":\\\"${queue_arn}\\\",\\\"Condition\\\":{\\\"ArnEquals\\\":{\\\"aws:SourceArn\\\":${rules_json}}}}]}"
policy="${policy//$'\n'/}"
aws_ sqs set-queue-attributes --queue-url "${queue_url}" --attributes "{\"Policy\":\"${policy}\"}"

echo "snapline init: topic -> queue subscription (raw delivery off: Snapline reads the SNS envelope)"
aws_ sns subscribe --topic-arn "${topic_arn}" --protocol sqs --notification-endpoint "${queue_arn}" \
  --attributes RawMessageDelivery=false >/dev/null

echo "snapline init: export bucket"
if ! aws_ s3api head-bucket --bucket "${bucket}" >/dev/null 2>&1; then
  aws_ s3api create-bucket --bucket "${bucket}" >/dev/null
fi
aws_ s3api put-public-access-block --bucket "${bucket}" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
aws_ s3api put-bucket-ownership-controls --bucket "${bucket}" \
  --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'

echo "snapline init: DynamoDB ledger table (pk: S, on-demand, TTL on ttl, PITR)"
if ! aws_ dynamodb describe-table --table-name "${prefix}-ledger" >/dev/null 2>&1; then
  aws_ dynamodb create-table --table-name "${prefix}-ledger" \
    --attribute-definitions AttributeName=pk,AttributeType=S \
    --key-schema AttributeName=pk,KeyType=HASH \
    --billing-mode PAY_PER_REQUEST >/dev/null
  aws_ dynamodb wait table-exists --table-name "${prefix}-ledger"
fi
aws_ dynamodb update-time-to-live --table-name "${prefix}-ledger" \
  --time-to-live-specification Enabled=true,AttributeName=ttl >/dev/null
aws_ dynamodb update-continuous-backups --table-name "${prefix}-ledger" \
  --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true >/dev/null || \
  echo "snapline init: point-in-time recovery not supported by this emulator (fine locally)"

echo "snapline init: ready (queue ${queue_url}, topic ${topic_arn})"
