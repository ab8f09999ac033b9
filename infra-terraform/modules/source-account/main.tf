# Snapline's event plumbing in the account that owns the databases:
#   RDS event subscription -> SNS topic (KMS) -> SQS queue (KMS, DLQ) <- EventBridge rules and schedules
# plus the export role and key, the DynamoDB ledger, the task role and the ECS service (iam.tf, ecs.tf).

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  # .id, not .name: the region name under both provider majors (.name is deprecated in 6.x).
  region    = data.aws_region.current.id
  partition = data.aws_partition.current.partition

  ledger_table_name = coalesce(var.ledger_table_name, "${var.name_prefix}-ledger")
  export_bucket_arn = "arn:${local.partition}:s3:::${var.export_bucket_name}"

  # The rules whose events land on the queue; the queue policy admits exactly these ARNs.
  event_rules = {
    export_finished = {
      description = "RDS snapshot/cluster export task finished (failed, canceled or completed): all nine event ids."
      pattern = {
        source        = ["aws.rds"]
        "detail-type" = ["RDS DB Snapshot Event", "RDS DB Cluster Snapshot Event", "RDS DB Cluster Event"]
        detail = {
          EventID = [
            "RDS-EVENT-0159", "RDS-EVENT-0160", "RDS-EVENT-0161",
            "RDS-EVENT-0162", "RDS-EVENT-0163", "RDS-EVENT-0164",
            "RDS-EVENT-0234", "RDS-EVENT-0235", "RDS-EVENT-0236",
          ]
        }
      }
    }
    # S3 Batch Operations reports job status as CloudTrail service events: the account needs a trail
    # logging management events for EventBridge to see them.
    batch_job_status = {
      description = "S3 Batch Operations job created / status changed (CloudTrail service event)."
      pattern = {
        source        = ["aws.s3"]
        "detail-type" = ["AWS Service Event via CloudTrail"]
        detail = {
          eventSource = ["s3.amazonaws.com"]
          eventName   = ["JobCreated", "JobStatusChanged"]
        }
      }
    }
    crawler_state = {
      description = "Glue crawler started, succeeded or failed."
      pattern = {
        source        = ["aws.glue"]
        "detail-type" = ["Glue Crawler State Change"]
        detail = {
          state = ["Started", "Succeeded", "Failed"]
        }
      }
    }
  }

  # Schedules deliver a command JSON as the message body.
  schedules = {
    for name, s in {
      prune     = { expression = var.prune_schedule_expression, command = "prune" }
      reconcile = { expression = var.reconcile_schedule_expression, command = "reconcile" }
      reap      = { expression = var.reap_schedule_expression, command = "reap" }
    } : name => s if s.expression != null
  }
}

# --- KMS ----------------------------------------------------------------------------------

# One key for the topic, the queue and the dead-letter queue. The services that publish
# (RDS event notifications to SNS, SNS and EventBridge to SQS) need it in the key policy.
resource "aws_kms_key" "messaging" {
  description             = "${var.name_prefix}: SNS topic and SQS queues"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.messaging_key.json
  tags                    = var.tags
}

resource "aws_kms_alias" "messaging" {
  name          = "alias/${var.name_prefix}-messaging"
  target_key_id = aws_kms_key.messaging.key_id
}

data "aws_iam_policy_document" "messaging_key" {
  statement {
    sid    = "AccountAdministersKey"
    effect = "Allow"
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
    # Partial wildcards: AWS's key-administrator set; IAM policies in this account then decide who
    # administers the key. Without it the key could become unmanageable.
    actions = [
      "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
      "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
      "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
      "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo",
    ]
    # A key policy's resource is always the key itself; "*" is the only value AWS accepts here.
    resources = ["*"]
  }

  # RDS event notifications publish to the encrypted topic. No condition: the RDS user guide's key
  # policy for encrypted event topics names the principal only; the topic policy pins the account.
  statement {
    sid    = "RdsPublishesEncrypted"
    effect = "Allow"
    principals {
      type        = "Service"
      identifiers = ["events.rds.amazonaws.com"]
    }
    actions = ["kms:GenerateDataKey", "kms:Decrypt"]
    # A key policy's resource is always the key itself; "*" is the only value AWS accepts here.
    resources = ["*"]
  }

  statement {
    sid    = "ServicesDeliverEncrypted"
    effect = "Allow"
    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com", "events.amazonaws.com"]
    }
    actions = ["kms:GenerateDataKey", "kms:Decrypt"]
    # A key policy's resource is always the key itself; "*" is the only value AWS accepts here.
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  # CloudWatch alarms publish to the encrypted alarm topic (monitoring.tf). The key policy AWS gives for
  # CloudWatch and encrypted SNS topics names the principal only; the topic policy pins the account's
  # alarms by aws:SourceArn.
  statement {
    sid    = "CloudWatchAlarmsEncrypted"
    effect = "Allow"
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    actions = ["kms:GenerateDataKey", "kms:Decrypt"]
    # A key policy's resource is always the key itself; "*" is the only value AWS accepts here.
    resources = ["*"]
  }
}

# The key RDS exports are encrypted with (symmetric; the caller needs DescribeKey and CreateGrant,
# the export role Encrypt/Decrypt/GenerateDataKey; readers of the exported Parquet need Decrypt).
resource "aws_kms_key" "export" {
  description             = "${var.name_prefix}: RDS snapshot exports"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.export_key.json
  tags                    = var.tags
}

resource "aws_kms_alias" "export" {
  name          = "alias/${var.name_prefix}-export"
  target_key_id = aws_kms_key.export.key_id
}

data "aws_iam_policy_document" "export_key" {
  statement {
    sid    = "AccountAdministersAndUsesKey"
    effect = "Allow"
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
    # Partial wildcards: AWS's key-administrator set, delegated to IAM policies in this account
    # (the task role's CreateGrant/DescribeKey and the export role's Encrypt/Decrypt come from there).
    actions = [
      "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
      "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
      "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RetireGrant",
      "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
      "kms:ReEncryptFrom", "kms:ReEncryptTo",
    ]
    # A key policy's resource is always the key itself; "*" is the only value AWS accepts here.
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(var.export_key_user_arns) > 0 ? [1] : []
    content {
      sid    = "ReadersDecryptExports"
      effect = "Allow"
      principals {
        type        = "AWS"
        identifiers = var.export_key_user_arns
      }
      actions = ["kms:Decrypt", "kms:DescribeKey"]
      # A key policy's resource is always the key itself; "*" is the only value AWS accepts here.
      resources = ["*"]
    }
  }
}

# --- SNS ----------------------------------------------------------------------------------

# RDS event subscriptions publish here. RDS cannot publish to FIFO topics, so this is standard.
resource "aws_sns_topic" "events" {
  name              = "${var.name_prefix}-rds-events"
  kms_master_key_id = aws_kms_key.messaging.arn
  tags              = var.tags
}

data "aws_iam_policy_document" "events_topic" {
  statement {
    sid    = "RdsEventNotifications"
    effect = "Allow"
    principals {
      type        = "Service"
      identifiers = ["events.rds.amazonaws.com"]
    }
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.events.arn]
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid    = "TlsOnly"
    effect = "Deny"
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.events.arn]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "events" {
  arn    = aws_sns_topic.events.arn
  policy = data.aws_iam_policy_document.events_topic.json
}

# Snapline publishes its summaries and failure notices here (sns:Publish); subscribe people to it.
resource "aws_sns_topic" "notifications" {
  name              = "${var.name_prefix}-notifications"
  kms_master_key_id = aws_kms_key.messaging.arn
  tags              = var.tags
}

# Snapshot creation, copy and export events of DB instances and Aurora clusters. For these source
# types RDS filters by snapshot identifier, not by instance, so the subscriptions cover every
# snapshot in the Region; Snapline's export policies choose the databases.
resource "aws_db_event_subscription" "snapshots" {
  name             = "${var.name_prefix}-db-snapshots"
  sns_topic        = aws_sns_topic.events.arn
  source_type      = "db-snapshot"
  event_categories = ["creation", "notification"]
  tags             = var.tags

  # RDS checks at creation that it may publish to the topic.
  depends_on = [aws_sns_topic_policy.events]
}

resource "aws_db_event_subscription" "cluster_snapshots" {
  name             = "${var.name_prefix}-db-cluster-snapshots"
  sns_topic        = aws_sns_topic.events.arn
  source_type      = "db-cluster-snapshot"
  event_categories = ["backup", "notification"]
  tags             = var.tags

  # RDS checks at creation that it may publish to the topic.
  depends_on = [aws_sns_topic_policy.events]
}

# --- SQS ----------------------------------------------------------------------------------

resource "aws_sqs_queue" "dlq" {
  name                              = "${var.name_prefix}-events-dlq"
  message_retention_seconds         = var.dlq_retention_seconds
  kms_master_key_id                 = aws_kms_key.messaging.arn
  kms_data_key_reuse_period_seconds = 300
  tags                              = var.tags
}

resource "aws_sqs_queue" "events" {
  name                              = "${var.name_prefix}-events"
  visibility_timeout_seconds        = var.visibility_timeout_seconds
  message_retention_seconds         = 1209600
  receive_wait_time_seconds         = 20
  kms_master_key_id                 = aws_kms_key.messaging.arn
  kms_data_key_reuse_period_seconds = 300
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
  tags = var.tags
}

# Only the events queue may dead-letter into the DLQ.
resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.events.arn]
  })
}

# Raw delivery stays off: Snapline reads the SNS envelope (MessageId, TopicArn) around RDS's JSON.
resource "aws_sns_topic_subscription" "events_to_queue" {
  topic_arn            = aws_sns_topic.events.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.events.arn
  raw_message_delivery = false
}

data "aws_iam_policy_document" "events_queue" {
  statement {
    sid    = "TopicDelivers"
    effect = "Allow"
    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.events.arn]
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.events.arn]
    }
  }

  # The RDS event topics of the copies' destination Regions (copies.tf, modules/dr-region): SNS delivers
  # across Regions; the topics are this account's.
  dynamic "statement" {
    for_each = length(local.copy_event_topic_arns) > 0 ? [1] : []
    content {
      sid    = "CopyRegionTopicsDeliver"
      effect = "Allow"
      principals {
        type        = "Service"
        identifiers = ["sns.amazonaws.com"]
      }
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.events.arn]
      condition {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = local.copy_event_topic_arns
      }
    }
  }

  statement {
    sid    = "RulesDeliver"
    effect = "Allow"
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.events.arn]
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values = concat(
        [for r in aws_cloudwatch_event_rule.events : r.arn],
        [for r in aws_cloudwatch_event_rule.schedules : r.arn],
      )
    }
  }

  statement {
    sid    = "TlsOnly"
    effect = "Deny"
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    actions   = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"]
    resources = [aws_sqs_queue.events.arn]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "events" {
  queue_url = aws_sqs_queue.events.id
  policy    = data.aws_iam_policy_document.events_queue.json

  # var.copies is checked here, not in its validation, so that its declaration stays the one the IAM
  # grants share (copies.tf).
  lifecycle {
    precondition {
      condition     = alltrue([for name in keys(var.copies) : can(regex("^[a-z][a-z0-9-]*$", name))])
      error_message = "copies names must be lower case letters, digits and hyphens, starting with a letter."
    }
    precondition {
      condition     = alltrue([for c in values(var.copies) : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", c.destination_region))])
      error_message = "copies destination_region must be an AWS Region name such as us-east-1."
    }
    precondition {
      condition     = !contains(local.copy_regions, local.region)
      error_message = "copies destination_region must be another Region than this deployment's own (${local.region}): these are cross-region copies."
    }
    precondition {
      condition = alltrue([for c in values(var.copies) : c.destination_kms_key_arn == null || can(regex(
      "^arn:aws[a-z-]*:kms:${c.destination_region}:[0-9]{12}:key/.+$", c.destination_kms_key_arn))])
      error_message = "copies destination_kms_key_arn must be the ARN of a KMS key in the copy's destination_region (arn:aws:kms:<destination_region>:<account>:key/<id>): keys are Region-bound, and an alias cannot be granted."
    }
  }
}

# --- EventBridge --------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "events" {
  for_each      = local.event_rules
  name          = "${var.name_prefix}-${replace(each.key, "_", "-")}"
  description   = each.value.description
  event_pattern = jsonencode(each.value.pattern)
  tags          = var.tags
}

resource "aws_cloudwatch_event_target" "events" {
  for_each = local.event_rules
  rule     = aws_cloudwatch_event_rule.events[each.key].name
  arn      = aws_sqs_queue.events.arn
}

resource "aws_cloudwatch_event_rule" "schedules" {
  for_each            = local.schedules
  name                = "${var.name_prefix}-${each.key}"
  description         = "Sends {\"command\":\"${each.value.command}\"} to Snapline."
  schedule_expression = each.value.expression
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "schedules" {
  for_each = local.schedules
  rule     = aws_cloudwatch_event_rule.schedules[each.key].name
  arn      = aws_sqs_queue.events.arn
  input    = jsonencode({ command = each.value.command })
}

# --- DynamoDB ledger ----------------------------------------------------------------------

resource "aws_dynamodb_table" "ledger" {
  name         = local.ledger_table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  # The operator console lists pipelines newest first from this index, one UTC day per partition
  # (pipeline items carry listedDay = "day#<date of their last update>"), instead of scanning the
  # table. Operation items have no listedDay, so they are not in the index. Upgrading an existing
  # table adds the index in place (DynamoDB backfills it); Snapline refuses to start without it.
  attribute {
    name = "listedDay"
    type = "S"
  }

  attribute {
    name = "updatedAt"
    type = "N"
  }

  global_secondary_index {
    name            = "pipelines-by-day"
    hash_key        = "listedDay"
    range_key       = "updatedAt"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }

  tags = var.tags
}
