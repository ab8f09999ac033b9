# Offline module tests (terraform test, mock provider: nothing is created anywhere). They hold the
# security invariants and the wiring of the module on the values it computes.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111", arn = "arn:aws:iam::111111111111:user/test", user_id = "AIDTEST" }
  }
  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  # The mock cannot render policy JSON; the tests read the documents' statements instead.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}", minified_json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000001", key_id = "00000000-0000-0000-0000-000000000001" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/mock" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:eu-west-1:111111111111:table/snapline-ledger" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111111111111:log-group:/ecs/snapline" }
  }
  mock_resource "aws_ecs_cluster" {
    defaults = { arn = "arn:aws:ecs:eu-west-1:111111111111:cluster/snapline" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:eu-west-1:111111111111:task-definition/snapline:1" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:111111111111:mock" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-1:111111111111:mock", id = "https://sqs.eu-west-1.amazonaws.com/111111111111/mock", url = "https://sqs.eu-west-1.amazonaws.com/111111111111/mock" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:111111111111:rule/mock" }
  }
}

# Distinct ARNs where the wiring between two resources of one type is checked.
override_resource {
  target = aws_sqs_queue.events
  values = { arn = "arn:aws:sqs:eu-west-1:111111111111:snapline-events", id = "https://sqs.eu-west-1.amazonaws.com/111111111111/snapline-events", url = "https://sqs.eu-west-1.amazonaws.com/111111111111/snapline-events" }
}
override_resource {
  target = aws_sqs_queue.dlq
  values = { arn = "arn:aws:sqs:eu-west-1:111111111111:snapline-events-dlq", id = "https://sqs.eu-west-1.amazonaws.com/111111111111/snapline-events-dlq", url = "https://sqs.eu-west-1.amazonaws.com/111111111111/snapline-events-dlq" }
}
override_resource {
  target = aws_sns_topic.events
  values = { arn = "arn:aws:sns:eu-west-1:111111111111:snapline-rds-events" }
}
override_resource {
  target = aws_sns_topic.notifications
  values = { arn = "arn:aws:sns:eu-west-1:111111111111:snapline-notifications" }
}
override_resource {
  target = aws_kms_key.messaging
  values = { arn = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-00000000aaaa", key_id = "00000000-0000-0000-0000-00000000aaaa" }
}
override_resource {
  target = aws_iam_role.export
  values = { arn = "arn:aws:iam::111111111111:role/snapline-rds-export" }
}
override_resource {
  target = aws_iam_role.batch_operations
  values = { arn = "arn:aws:iam::111111111111:role/snapline-s3-batch-operations" }
}

variables {
  export_bucket_name = "acme-exports"
  container_image    = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/snapline:0.1.0"
  subnet_ids         = ["subnet-0123456789abcdef0"]
  security_group_ids = ["sg-0123456789abcdef0"]
  export_policies = {
    local = {
      sources = ["orders-db"]
      crawler = "snapline-exports"
    }
    remote = {
      sources                        = ["billing-*"]
      kms_key                        = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
      export_role_arn                = "arn:aws:iam::111111111111:role/other-export"
      notification_topic             = "arn:aws:sns:eu-west-1:111111111111:billing-team"
      source_role_arn                = "arn:aws:iam::222222222222:role/snapline-source"
      source_external_id_secret_arn  = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:source-id-AbCdEf"
      crawler                        = "analytics-exports"
      crawler_role_arn               = "arn:aws:iam::333333333333:role/snapline-cross-account"
      crawler_external_id_secret_arn = "arn:aws:ssm:eu-west-1:111111111111:parameter/snapline/crawler-id"
      webhook_url_secret_arn         = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:slack-hook-XyZ123:url::"
    }
  }
}

run "queue_wiring_and_encryption" {
  assert {
    condition = one([for s in data.aws_iam_policy_document.events_queue.statement :
    toset(one(s.condition).values) if s.sid == "TopicDelivers"]) == toset([aws_sns_topic.events.arn])
    error_message = "the queue policy must admit the events topic, and only it, by aws:SourceArn"
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.events_queue.statement :
      toset(one(s.condition).values) if s.sid == "RulesDeliver"]) == toset(concat(
      [for r in aws_cloudwatch_event_rule.events : r.arn], [for r in aws_cloudwatch_event_rule.schedules : r.arn]
    ))
    error_message = "the queue policy must admit exactly the module's rules and schedules by aws:SourceArn"
  }
  assert {
    condition     = alltrue([for s in data.aws_iam_policy_document.events_queue.statement : s.effect == "Deny" || one(s.condition).variable == "aws:SourceArn"])
    error_message = "every Allow of the queue policy must be conditioned on aws:SourceArn"
  }
  assert {
    condition = anytrue([for s in data.aws_iam_policy_document.events_queue.statement :
    s.effect == "Deny" && one(s.condition).variable == "aws:SecureTransport" && toset(one(s.condition).values) == toset(["false"])])
    error_message = "the queue policy must deny plain HTTP"
  }
  assert {
    condition     = jsondecode(aws_sqs_queue.events.redrive_policy).deadLetterTargetArn == aws_sqs_queue.dlq.arn && jsondecode(aws_sqs_queue.events.redrive_policy).maxReceiveCount == var.max_receive_count
    error_message = "the queue must redrive to the DLQ after max_receive_count receives"
  }
  assert {
    condition     = jsondecode(aws_sqs_queue_redrive_allow_policy.dlq.redrive_allow_policy).sourceQueueArns == [aws_sqs_queue.events.arn]
    error_message = "only the events queue may dead-letter into the DLQ"
  }
  assert {
    condition = alltrue([for k in [aws_sqs_queue.events.kms_master_key_id, aws_sqs_queue.dlq.kms_master_key_id,
    aws_sns_topic.events.kms_master_key_id, aws_sns_topic.notifications.kms_master_key_id] : k == aws_kms_key.messaging.arn])
    error_message = "queues and topics must be encrypted with the messaging key"
  }
  assert {
    condition     = aws_dynamodb_table.ledger.server_side_encryption[0].enabled && aws_dynamodb_table.ledger.point_in_time_recovery[0].enabled
    error_message = "the ledger must be encrypted and have point-in-time recovery"
  }
  assert {
    condition = [for i in aws_dynamodb_table.ledger.global_secondary_index : [i.name, i.hash_key, i.range_key, i.projection_type]] == [
      ["pipelines-by-day", "listedDay", "updatedAt", "ALL"]
    ]
    error_message = "the ledger must have the pipelines-by-day index the console pages pipelines from"
  }
  assert {
    condition     = aws_sns_topic_subscription.events_to_queue.endpoint == aws_sqs_queue.events.arn && aws_sns_topic_subscription.events_to_queue.raw_message_delivery == false
    error_message = "the topic must deliver the SNS envelope (raw delivery off) to the events queue"
  }
}

run "event_patterns" {
  command = plan

  assert {
    condition = jsondecode(aws_cloudwatch_event_rule.events["export_finished"].event_pattern).detail.EventID == [
      "RDS-EVENT-0159", "RDS-EVENT-0160", "RDS-EVENT-0161", "RDS-EVENT-0162", "RDS-EVENT-0163",
      "RDS-EVENT-0164", "RDS-EVENT-0234", "RDS-EVENT-0235", "RDS-EVENT-0236",
    ]
    error_message = "the export-finished rule must match the nine export-finished event ids"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.events["export_finished"].event_pattern).source == ["aws.rds"]
    error_message = "the export-finished rule must match RDS events"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_target.schedules["prune"].input) == { command = "prune" } && jsondecode(aws_cloudwatch_event_target.schedules["reconcile"].input) == { command = "reconcile" }
    error_message = "the schedules must send the prune and reconcile commands"
  }
}

run "task_role_is_exactly_what_the_code_calls" {
  assert {
    condition = toset(flatten([for s in data.aws_iam_policy_document.task.statement : s.actions])) == toset([
      "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:SendMessage",
      "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "kms:Decrypt", "kms:GenerateDataKey",
      "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Scan",
      "dynamodb:DescribeTable", "rds:StartExportTask", "rds:DescribeExportTasks", "rds:DescribeDBSnapshots",
      "rds:DescribeDBClusterSnapshots", "rds:DeleteDBSnapshot", "rds:DeleteDBClusterSnapshot", "iam:PassRole",
      "kms:DescribeKey", "kms:CreateGrant", "s3:ListBucket", "s3:GetBucketOwnershipControls", "s3:PutObjectAcl",
      "s3:DeleteObject", "s3:CreateJob", "s3:DescribeJob", "glue:StartCrawler", "glue:GetCrawler", "sns:Publish",
      "sts:AssumeRole", "cloudwatch:PutMetricData", "rds:CreateDBSnapshot", "rds:CreateDBClusterSnapshot",
      "rds:AddTagsToResource", "rds:DescribeDBInstances", "rds:DescribeDBClusters", "rds:ListTagsForResource",
      "rds:RestoreDBClusterToPointInTime", "rds:RestoreDBInstanceFromDBSnapshot", "rds:CreateDBInstance",
      "rds:ModifyDBInstance", "rds:ModifyDBCluster", "rds:DeleteDBInstance", "rds:DeleteDBCluster",
      "secretsmanager:GetSecretValue",
      "dynamodb:Query", "sqs:StartMessageMoveTask",
    ])
    error_message = "the task role's actions changed: ServiceRolePermissionsTest holds them against the code; update both"
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.task.statement : s.resources if s.sid == "AssumeConfiguredRoles"]) == toset([
      "arn:aws:iam::222222222222:role/snapline-source", "arn:aws:iam::333333333333:role/snapline-cross-account",
    ])
    error_message = "sts:AssumeRole must cover every policy's source_role_arn and crawler_role_arn, and nothing else"
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.task.statement : s.resources if s.sid == "Notify"]) == toset([
      "arn:aws:sns:eu-west-1:111111111111:snapline-notifications", "arn:aws:sns:eu-west-1:111111111111:billing-team",
    ])
    error_message = "sns:Publish must cover the notifications topic and every policy's notification_topic"
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.task.statement : s.resources if s.sid == "PassExportAndBatchRoles"]) == toset([
      aws_iam_role.export.arn, aws_iam_role.batch_operations.arn, "arn:aws:iam::111111111111:role/other-export",
    ])
    error_message = "iam:PassRole must cover every policy's export role and Batch Operations role"
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.task.statement : s.resources if s.sid == "ExportKeyGrant"]) == toset([
      aws_kms_key.export.arn, "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555",
    ])
    error_message = "kms:CreateGrant must cover every policy's export key"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.task.statement : s.resources if s.sid == "Crawlers"]) == toset(["arn:aws:glue:eu-west-1:111111111111:crawler/snapline-exports"])
    error_message = "the task role starts only the crawlers of policies without a crawler_role_arn"
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.task.statement :
      one(s.condition).test == "StringEquals" && one(s.condition).variable == "cloudwatch:namespace" && toset(one(s.condition).values) == toset(["Snapline"])
    if s.sid == "PublishMetrics"])
    error_message = "cloudwatch:PutMetricData must be limited to the metrics namespace"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.task.statement : s.resources if s.sid == "LedgerPipelineIndex"]) == toset(["${aws_dynamodb_table.ledger.arn}/index/pipelines-by-day"])
    error_message = "dynamodb:Query must be limited to the ledger's pipelines-by-day index"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.task.statement : s.resources if s.sid == "RedriveDeadLetters"]) == toset([aws_sqs_queue.dlq.arn])
    error_message = "sqs:StartMessageMoveTask must be limited to the dead-letter queue"
  }
  assert {
    condition = alltrue([for s in data.aws_iam_policy_document.ecs_tasks_trust.statement :
    one(s.condition).variable == "aws:SourceAccount" && toset(one(s.condition).values) == toset(["111111111111"])])
    error_message = "the task and execution roles must trust ECS tasks of this account only"
  }
}

run "secrets_are_ecs_secrets_never_environment" {
  assert {
    condition = jsondecode(aws_ecs_task_definition.service.container_definitions)[0].secrets == [
      { name = "SNAPLINE_SECRET_REMOTE_CRAWLER_EXTERNAL_ID", valueFrom = "arn:aws:ssm:eu-west-1:111111111111:parameter/snapline/crawler-id" },
      { name = "SNAPLINE_SECRET_REMOTE_SOURCE_EXTERNAL_ID", valueFrom = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:source-id-AbCdEf" },
      { name = "SNAPLINE_SECRET_REMOTE_WEBHOOK_URL", valueFrom = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:slack-hook-XyZ123:url::" },
    ]
    error_message = "each policy secret must reach the container as an ECS secret"
  }
  assert {
    condition = output.export_policies["remote"]["crawler-external-id"] == "$${SNAPLINE_SECRET_REMOTE_CRAWLER_EXTERNAL_ID}" && strcontains(
      one([for e in jsondecode(aws_ecs_task_definition.service.container_definitions)[0].environment : e.value if e.name == "MICRONAUT_APPLICATION_JSON"]),
    "\"webhook-url\":\"$${SNAPLINE_SECRET_REMOTE_WEBHOOK_URL}\"")
    error_message = "the policy JSON must name the secrets by placeholder"
  }
  assert {
    condition     = !strcontains(jsonencode(jsondecode(aws_ecs_task_definition.service.container_definitions)[0].environment), "secretsmanager") && !strcontains(jsonencode(jsondecode(aws_ecs_task_definition.service.container_definitions)[0].environment), ":parameter/")
    error_message = "the environment must not even name the secrets: they are ECS secrets"
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.execution.statement : s.resources if s.sid == "ReadSecrets"]) == toset([
      "arn:aws:secretsmanager:eu-west-1:111111111111:secret:source-id-AbCdEf", "arn:aws:secretsmanager:eu-west-1:111111111111:secret:slack-hook-XyZ123",
    ])
    error_message = "the execution role must read exactly the Secrets Manager secrets (without their JSON-key suffix)"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.execution.statement : s.resources if s.sid == "ReadParameters"]) == toset(["arn:aws:ssm:eu-west-1:111111111111:parameter/snapline/crawler-id"])
    error_message = "the execution role must read exactly the SSM parameters"
  }
  assert {
    condition = alltrue([for k in ["SNAPLINE_LOG_FORMAT", "MICRONAUT_METRICS_EXPORT_CLOUDWATCH_ENABLED"] :
    contains([for e in jsondecode(aws_ecs_task_definition.service.container_definitions)[0].environment : e.name], k)])
    error_message = "the deployment must log JSON and export metrics to CloudWatch"
  }
}

run "cpu_architecture_default_and_arm64" {
  command = plan
  variables {
    cpu_architecture = "ARM64"
  }
  assert {
    condition     = aws_ecs_task_definition.service.runtime_platform[0].cpu_architecture == "ARM64" && output.container_platform == "linux/arm64"
    error_message = "ARM64 must run on Graviton and name the linux/arm64 build"
  }
}

run "alarms_notify_the_alarm_topic" {
  assert {
    condition = alltrue([for a in concat([aws_cloudwatch_metric_alarm.dlq_messages, aws_cloudwatch_metric_alarm.oldest_message, aws_cloudwatch_metric_alarm.no_running_task], values(aws_cloudwatch_metric_alarm.failures)) :
    a.alarm_actions == toset([output.alarm_topic_arn])])
    error_message = "every alarm must notify the alarm topic"
  }
  assert {
    condition     = output.alarm_topic_arn == aws_sns_topic.alarms[0].arn && aws_cloudwatch_metric_alarm.dlq_messages.dimensions.QueueName == aws_sqs_queue.dlq.name
    error_message = "the module creates the alarm topic and watches the DLQ"
  }
  assert {
    condition     = strcontains(one(aws_cloudwatch_metric_alarm.failures["dead-letters"].metric_query).expression, "SELECT SUM(\"snapline.dlq.sends.count\") FROM SCHEMA(\"Snapline\", kind)")
    error_message = "the dead-letter alarm must sum Snapline's DLQ counter over every kind"
  }
  assert {
    condition = aws_sns_topic.alarms[0].kms_master_key_id == aws_kms_key.messaging.arn && anytrue([for st in data.aws_iam_policy_document.messaging_key.statement :
    contains(flatten([for pr in st.principals : pr.identifiers]), "cloudwatch.amazonaws.com") && contains(st.actions, "kms:GenerateDataKey")])
    error_message = "CloudWatch must be able to publish to the encrypted alarm topic (messaging key policy)"
  }
  assert {
    condition     = length(output.alarm_names) == 5 && output.dashboard_name == "snapline"
    error_message = "five alarms and a dashboard"
  }
}

run "an_existing_alarm_topic_is_used" {
  command = plan
  variables {
    alarm_topic_arn = "arn:aws:sns:eu-west-1:111111111111:on-call"
  }
  assert {
    condition     = length(aws_sns_topic.alarms) == 0 && aws_cloudwatch_metric_alarm.dlq_messages.alarm_actions == toset(["arn:aws:sns:eu-west-1:111111111111:on-call"])
    error_message = "alarm_topic_arn must replace the module's topic"
  }
}

run "plain_text_secrets_are_refused" {
  command = plan
  variables {
    export_policies = {
      x = { sources = ["db"], crawler = "c", crawler_role_arn = "arn:aws:iam::333333333333:role/r", crawler_external_id = "0123456789abcdef" }
    }
  }
  expect_failures = [var.export_policies]
}

run "a_kms_alias_is_refused" {
  command = plan
  variables {
    export_policies = { x = { sources = ["db"], kms_key = "alias/exports" } }
  }
  expect_failures = [var.export_policies]
}

run "an_unknown_cpu_architecture_is_refused" {
  command = plan
  variables {
    cpu_architecture = "arm64"
  }
  expect_failures = [var.cpu_architecture]
}

run "snapshot_schedules_send_the_slot_from_the_same_values" {
  variables {
    snapshot_schedules = {
      tokyo-dr = {
        sources     = ["orders-db"]
        scope       = "instance"
        schedule    = "cron(0 2,14 * * ? *)"
        time_zone   = "Asia/Tokyo"
        name_prefix = "snapline-tokyo"
      }
    }
  }
  assert {
    condition = (aws_scheduler_schedule.snapshot["tokyo-dr"].schedule_expression == "cron(0 2,14 * * ? *)"
      && aws_scheduler_schedule.snapshot["tokyo-dr"].schedule_expression_timezone == "Asia/Tokyo"
    && aws_scheduler_schedule.snapshot["tokyo-dr"].flexible_time_window[0].mode == "OFF")
    error_message = "the schedule must use the policy's cron in its zone, with the flexible window off"
  }
  assert {
    condition = (jsondecode(aws_scheduler_schedule.snapshot["tokyo-dr"].target[0].input) == {
      command = "snapshot", policy = "tokyo-dr", slot = "<aws.scheduler.scheduled-time>"
    } && aws_scheduler_schedule.snapshot["tokyo-dr"].target[0].arn == aws_sqs_queue.events.arn)
    error_message = "the tick must name the policy and carry the slot (<aws.scheduler.scheduled-time>) to the events queue"
  }
  assert {
    condition     = aws_scheduler_schedule.snapshot["tokyo-dr"].target[0].dead_letter_config[0].arn == aws_sqs_queue.scheduler_dlq[0].arn && aws_scheduler_schedule.snapshot["tokyo-dr"].target[0].retry_policy[0].maximum_retry_attempts > 0
    error_message = "the schedule must retry and then dead-letter into its own DLQ"
  }
  assert {
    condition = (toset(flatten([for s in data.aws_iam_policy_document.scheduler.statement : s.actions])) == toset(["sqs:SendMessage", "kms:GenerateDataKey", "kms:Decrypt"])
    && toset(one([for s in data.aws_iam_policy_document.scheduler.statement : s.resources if s.sid == "SendTicks"])) == toset([aws_sqs_queue.events.arn, aws_sqs_queue.scheduler_dlq[0].arn]))
    error_message = "the scheduler's role may only send to the events queue and its DLQ"
  }
  assert {
    condition     = jsondecode(one([for e in jsondecode(aws_ecs_task_definition.service.container_definitions)[0].environment : e.value if e.name == "MICRONAUT_APPLICATION_JSON"])).snapline.snapshots["tokyo-dr"]["time-zone"] == "Asia/Tokyo"
    error_message = "the service must receive the same schedule values as the Scheduler"
  }
}

run "clones_modify_and_delete_only_tagged_resources_and_read_only_rds_secrets" {
  variables {
    slack_signing_secret_arn      = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:slack-signing-AbC123"
    clone_credentials_secret_arns = ["arn:aws:secretsmanager:eu-west-1:111111111111:secret:orders-master-XyZ789"]
    clone_vpc_id                  = "vpc-0123456789abcdef0"
  }
  assert {
    condition = length(one([for s in data.aws_iam_policy_document.task.statement : s.condition if s.sid == "CloneModifyAndDelete"])) == 1 && alltrue([
      for c in one([for s in data.aws_iam_policy_document.task.statement : s.condition if s.sid == "CloneModifyAndDelete"]) :
      c.test == "Null" && c.variable == "aws:ResourceTag/snapline:clone" && length(c.values) == 1 && contains(c.values, "false")
    ])
    error_message = "clones may be modified and deleted only when they carry the snapline:clone tag"
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.task.statement : s.resources if s.sid == "CloneCredentials"]) == toset([
      "arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!*", "arn:aws:secretsmanager:eu-west-1:111111111111:secret:orders-master-XyZ789",
    ])
    error_message = "the task role reads RDS-managed secrets and the named clone secrets only"
  }
  assert {
    condition     = contains([for x in jsondecode(aws_ecs_task_definition.service.container_definitions)[0].secrets : x.name if x.valueFrom == "arn:aws:secretsmanager:eu-west-1:111111111111:secret:slack-signing-AbC123"], "SNAPLINE_SLACK_SIGNING_SECRET")
    error_message = "the Slack signing secret must reach the container as an ECS secret"
  }
  assert {
    condition     = aws_cloudwatch_event_rule.schedules["reap"].schedule_expression == "rate(15 minutes)" && jsondecode(aws_cloudwatch_event_target.schedules["reap"].input).command == "reap"
    error_message = "the reap schedule must send {\"command\":\"reap\"}"
  }
  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.clone_from_service) == 2 * length(var.security_group_ids) && alltrue([for r in aws_vpc_security_group_ingress_rule.clone_from_service : contains(var.security_group_ids, r.referenced_security_group_id)])
    error_message = "clones being masked admit the service's security groups only, on the database ports"
  }
}

run "the_console_token_is_an_ecs_secret" {
  command = plan
  variables {
    console_token_secret_arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:snapline-console-token-AbCdEf"
  }
  assert {
    condition = contains(jsondecode(aws_ecs_task_definition.service.container_definitions)[0].secrets,
    { name = "SNAPLINE_CONSOLE_TOKEN", valueFrom = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:snapline-console-token-AbCdEf" })
    error_message = "the console token must reach the container as the ECS secret SNAPLINE_CONSOLE_TOKEN"
  }
}

run "a_plain_text_console_token_is_refused" {
  command = plan
  variables {
    console_token_secret_arn = "0123456789abcdef0123456789abcdef"
  }
  expect_failures = [var.console_token_secret_arn]
}

run "without_copies_the_queue_admits_no_other_region_topic" {
  command = plan
  assert {
    condition     = length([for s in data.aws_iam_policy_document.events_queue.statement : s if s.sid == "CopyRegionTopicsDeliver"]) == 0
    error_message = "without copies the queue policy must admit no destination-Region topic"
  }
  assert {
    condition     = length(output.copy_regions) == 0 && length(output.copy_event_topic_arns) == 0
    error_message = "without copies there is no destination Region"
  }
}

run "copies_admit_each_destination_region_topic_once" {
  command = plan
  variables {
    copies = {
      tokyo-dr  = { sources = ["orders"], destination_region = "us-east-1", destination_kms_key_arn = "arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555" }
      orders    = { sources = ["orders"], destination_region = "us-east-1" }
      frankfurt = { sources = ["orders"], destination_region = "eu-central-1" }
    }
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.events_queue.statement :
      s.effect == "Allow" && s.actions == toset(["sqs:SendMessage"]) && s.resources == toset([aws_sqs_queue.events.arn])
      && flatten([for p in s.principals : p.identifiers]) == ["sns.amazonaws.com"]
      && one(s.condition).test == "ArnEquals" && one(s.condition).variable == "aws:SourceArn"
      && toset(one(s.condition).values) == toset([
        "arn:aws:sns:eu-central-1:111111111111:snapline-rds-events", "arn:aws:sns:us-east-1:111111111111:snapline-rds-events",
      ])
    if s.sid == "CopyRegionTopicsDeliver"])
    error_message = "the queue policy must admit the RDS event topic of every destination Region, by aws:SourceArn"
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.events_queue.statement :
    toset(one(s.condition).values) if s.sid == "TopicDelivers"]) == toset([aws_sns_topic.events.arn])
    error_message = "the main Region's topic statement must stay as it is"
  }
  assert {
    condition = (jsonencode(output.copy_regions) == jsonencode(["eu-central-1", "us-east-1"]) && jsonencode(output.copy_event_topic_arns) == jsonencode([
      "arn:aws:sns:eu-central-1:111111111111:snapline-rds-events", "arn:aws:sns:us-east-1:111111111111:snapline-rds-events",
    ]))
    error_message = "each destination Region once, with its topic ARN for modules/dr-region"
  }
}

run "a_copy_into_the_own_region_is_refused" {
  command = plan
  variables {
    copies = { same = { sources = ["orders"], destination_region = "eu-west-1" } }
  }
  expect_failures = [aws_sqs_queue_policy.events]
}

run "a_copy_key_of_another_region_is_refused" {
  command = plan
  variables {
    copies = { tokyo-dr = { sources = ["orders"], destination_region = "us-east-1", destination_kms_key_arn = "arn:aws:kms:ap-northeast-1:111111111111:key/11111111-2222-3333-4444-555555555555" } }
  }
  expect_failures = [aws_sqs_queue_policy.events]
}

run "copies_reach_the_service_as_its_configuration" {
  command = plan
  variables {
    copies = {
      tokyo-dr = { sources = ["orders*"], kinds = ["scheduled"], destination_region = "us-east-1", destination_kms_key_arn = "arn:aws:kms:us-east-1:111111111111:key/dr", keep_days = 1 }
    }
  }
  assert {
    condition = jsondecode(one([for e in jsondecode(aws_ecs_task_definition.service.container_definitions)[0].environment : e.value if e.name == "MICRONAUT_APPLICATION_JSON"])).snapline.copies["tokyo-dr"] == {
      "sources"                = ["orders*"], "scope" = "both", "kinds" = ["scheduled"], "destination-region" = "us-east-1",
      "destination-kms-key-id" = "arn:aws:kms:us-east-1:111111111111:key/dr", "copy-tags" = true, "keep-days" = 1
    }
    error_message = "the service must receive the copy policy under snapline.copies, its keys as the service reads them, unset ones left out"
  }
}

run "copies_grant_copying_into_the_destination_and_its_keys" {
  command = plan
  variables {
    copies = {
      tokyo-dr = { sources = ["orders"], destination_region = "us-east-1", destination_kms_key_arn = "arn:aws:kms:us-east-1:111111111111:key/dr" }
      plain    = { sources = ["orders"], destination_region = "us-west-2" }
    }
  }
  assert {
    condition = toset(one([for s in data.aws_iam_policy_document.task.statement : s.actions if s.sid == "CrossRegionCopies"])) == toset([
      "rds:CopyDBSnapshot", "rds:CopyDBClusterSnapshot", "rds:AddTagsToResource", "rds:DescribeDBSnapshots",
      "rds:DescribeDBClusterSnapshots", "rds:DeleteDBSnapshot", "rds:DeleteDBClusterSnapshot",
    ])
    error_message = "copies need CopyDB[Cluster]Snapshot with tags, and the destination retention's describe and delete"
  }
  assert {
    condition = toset(one([for s in data.aws_iam_policy_document.task.statement : s.resources if s.sid == "CrossRegionCopies"])) == toset([
      "arn:aws:rds:eu-west-1:111111111111:snapshot:*", "arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:*",
      "arn:aws:rds:us-east-1:111111111111:snapshot:*", "arn:aws:rds:us-east-1:111111111111:cluster-snapshot:*",
      "arn:aws:rds:us-east-1:111111111111:og:*",
      "arn:aws:rds:us-west-2:111111111111:snapshot:*", "arn:aws:rds:us-west-2:111111111111:cluster-snapshot:*",
      "arn:aws:rds:us-west-2:111111111111:og:*",
    ])
    error_message = "copies reach the source region's snapshots and each destination's snapshots and option groups, nothing else"
  }
  assert {
    condition     = toset(one([for s in data.aws_iam_policy_document.task.statement : s.resources if s.sid == "CopyKeys"])) == toset(["arn:aws:kms:us-east-1:111111111111:key/dr"])
    error_message = "kms:CreateGrant for copies covers the destination keys given, and nothing else"
  }
}

run "no_copies_no_copy_grants" {
  command = plan
  assert {
    condition     = length([for s in data.aws_iam_policy_document.task.statement : s if s.sid == "CrossRegionCopies" || s.sid == "CopyKeys"]) == 0
    error_message = "without copies the task role has no copy grants"
  }
}

run "retention_reaches_the_service_as_its_configuration" {
  command = plan
  variables {
    retention = {
      tokyo  = { sources = ["orders-db"], name_prefix = "snapline-tokyo", keep_days = 50, time_zone = "Asia/Tokyo" }
      tagged = { sources = ["billing-*"], scope = "cluster", name_prefix = "nightly", keep_last = 7, management_tag_key = "team:managed" }
    }
  }
  assert {
    condition = jsondecode(one([for e in jsondecode(aws_ecs_task_definition.service.container_definitions)[0].environment : e.value if e.name == "MICRONAUT_APPLICATION_JSON"])).snapline.retention == {
      tokyo  = { "sources" = ["orders-db"], "scope" = "both", "name-prefix" = "snapline-tokyo", "keep-days" = 50, "time-zone" = "Asia/Tokyo" }
      tagged = { "sources" = ["billing-*"], "scope" = "cluster", "name-prefix" = "nightly", "keep-last" = 7, "management-tag" = { "key" = "team:managed" } }
    }
    error_message = "the service must receive the retention policies under snapline.retention, their keys as the service reads them, unset ones left out"
  }
}

run "a_retention_policy_without_a_keep_rule_is_refused" {
  command = plan
  variables {
    retention = {
      everything = { sources = ["orders-db"], name_prefix = "snapline" }
    }
  }
  expect_failures = [var.retention]
}

run "a_retention_policy_may_not_take_a_copy_policys_destination_name" {
  command = plan
  variables {
    copies = {
      dr = { sources = ["orders-db"], destination_region = "us-east-1" }
    }
    retention = {
      copies-dr = { sources = ["orders-db"], name_prefix = "snapline", keep_days = 3 }
    }
  }
  expect_failures = [var.retention]
}
