# --- Scheduled snapshots (snapline.snapshots.<name>.*) --------------------------------------
#
# One EventBridge Scheduler schedule per policy of var.snapshot_schedules, from the same values the
# service receives (MICRONAUT_APPLICATION_JSON, ecs.tf): the cron in the policy's zone, no flexible
# window, and the tick {"command":"snapshot","policy":<name>,"slot":<aws.scheduler.scheduled-time>}
# sent to the events queue. The slot, not the execution id, names the snapshot, so the scheduler's
# retries cannot make a second one. Invocations that fail after the retries go to their own DLQ.

locals {
  snapshot_schedules = { for name, s in var.snapshot_schedules : name => {
    "sources"            = s.sources
    "scope"              = s.scope
    "schedule"           = s.schedule
    "time-zone"          = s.time_zone
    "name-prefix"        = s.name_prefix
    "catch-up-window"    = s.catch_up_window
    "notification-topic" = s.notification_topic
  } }
  scheduler_enabled = length(var.snapshot_schedules) > 0
}

resource "aws_sqs_queue" "scheduler_dlq" {
  count                             = local.scheduler_enabled ? 1 : 0
  name                              = "${var.name_prefix}-scheduler-dlq"
  message_retention_seconds         = var.dlq_retention_seconds
  kms_master_key_id                 = aws_kms_key.messaging.arn
  kms_data_key_reuse_period_seconds = 300
  tags                              = var.tags
}

data "aws_iam_policy_document" "scheduler_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  count              = local.scheduler_enabled ? 1 : 0
  name               = "${var.name_prefix}-scheduler"
  assume_role_policy = data.aws_iam_policy_document.scheduler_trust.json
  tags               = var.tags
}

# The schedules may only send: to the events queue (the tick) and to their own DLQ (a tick that could
# not be delivered). Both queues are SSE-KMS, so a send also needs the messaging key's data key.
data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "SendTicks"
    actions   = ["sqs:SendMessage"]
    resources = concat([aws_sqs_queue.events.arn], aws_sqs_queue.scheduler_dlq[*].arn)
  }

  statement {
    sid       = "QueueEncryption"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.messaging.arn]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  count  = local.scheduler_enabled ? 1 : 0
  name   = "send-ticks"
  role   = aws_iam_role.scheduler[0].id
  policy = data.aws_iam_policy_document.scheduler.json
}

resource "aws_scheduler_schedule" "snapshot" {
  for_each                     = var.snapshot_schedules
  name                         = "${var.name_prefix}-snapshot-${each.key}"
  description                  = "Sends Snapline's snapshot tick for policy ${each.key}."
  schedule_expression          = each.value.schedule
  schedule_expression_timezone = each.value.time_zone

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_sqs_queue.events.arn
    role_arn = aws_iam_role.scheduler[0].arn
    input    = jsonencode({ command = "snapshot", policy = each.key, slot = "<aws.scheduler.scheduled-time>" })

    retry_policy {
      maximum_event_age_in_seconds = 3600
      maximum_retry_attempts       = 20
    }

    dead_letter_config {
      arn = aws_sqs_queue.scheduler_dlq[0].arn
    }
  }
}
