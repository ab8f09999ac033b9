# Alarms and a dashboard: the queue (AWS/SQS), the service (AWS/ECS) and Snapline's own meters, which
# Micrometer's CloudWatch registry publishes every minute to var.metrics_namespace (docs/deployment.md,
# "Metrics", says why this exporter and not a CloudWatch agent sidecar or embedded metric format).

locals {
  create_alarm_topic = var.alarm_topic_arn == null
  alarm_topic_arn    = local.create_alarm_topic ? aws_sns_topic.alarms[0].arn : var.alarm_topic_arn

  # Snapline's meters as the CloudWatch registry names them: <meter>.<statistic>, one dimension per
  # tag. The one place that names them: alarms and dashboard read them from here, so a new counter is
  # one entry. MonitoringMetricsTest (src/test/java/io/snapline/infra) checks every name and dimension
  # against the meters the code registers, so a renamed meter cannot leave a widget empty.
  snapline_metrics = {
    messages        = { name = "snapline.messages.count", dimensions = ["kind", "outcome"], title = "Messages by outcome", group_by = "outcome" }
    dlq_sends       = { name = "snapline.dlq.sends.count", dimensions = ["kind"], title = "Sent to the dead-letter queue", group_by = "kind" }
    retries         = { name = "snapline.message.retries.count", dimensions = ["kind"], title = "Retryable failures (backoff)", group_by = "kind" }
    latency_avg     = { name = "snapline.handler.latency.avg", dimensions = ["kind"], title = "Handler latency (average, ms)", group_by = "kind" }
    latency_max     = { name = "snapline.handler.latency.max", dimensions = ["kind"], title = "Handler latency (max, ms)", group_by = "kind" }
    inflight        = { name = "snapline.inflight.value", dimensions = [], title = "Messages in flight", group_by = null }
    steps           = { name = "snapline.steps.count", dimensions = ["stage", "policy", "outcome"], title = "Pipeline steps (stage export, outcome done: exports started; failed: step failures)", group_by = "stage, outcome" }
    export_tasks    = { name = "snapline.export.tasks.count", dimensions = ["policy", "status"], title = "Export tasks completed / failed / canceled", group_by = "status" }
    prune_deletions = { name = "snapline.prune.deletions.count", dimensions = ["kind", "policy", "result"], title = "Prune deletions", group_by = "kind, result" }
  }

  # Alarms on Snapline's own failure counters, as Metrics Insights queries summed over all kinds.
  failure_alarms = {
    dead-letters = {
      description = "Snapline sent messages to the dead-letter queue (permanent failures): docs/dlq-runbook.md."
      metric      = "dlq_sends"
      where       = ""
      threshold   = 0
    }
    retries = {
      description = "Snapline retried more than 50 messages in 5 minutes (throttling, 5xx, timeouts, unknown errors): read the log for reason and aws_request_id."
      metric      = "retries"
      where       = ""
      threshold   = 50
    }
  }

  alarm_actions = [local.alarm_topic_arn]
}

resource "aws_sns_topic" "alarms" {
  count             = local.create_alarm_topic ? 1 : 0
  name              = "${var.name_prefix}-alarms"
  kms_master_key_id = aws_kms_key.messaging.arn
  tags              = var.tags
}

# Read only when the module creates the alarm topic ([*]: empty otherwise).
data "aws_iam_policy_document" "alarms_topic" {
  statement {
    sid    = "CloudWatchAlarmsPublish"
    effect = "Allow"
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    actions   = ["sns:Publish"]
    resources = aws_sns_topic.alarms[*].arn
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:*"]
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
    resources = aws_sns_topic.alarms[*].arn
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  count  = local.create_alarm_topic ? 1 : 0
  arn    = aws_sns_topic.alarms[0].arn
  policy = data.aws_iam_policy_document.alarms_topic.json
}

resource "aws_sns_topic_subscription" "alarm_emails" {
  for_each  = local.create_alarm_topic ? toset(var.alarm_email_addresses) : toset([])
  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_metric_alarm" "dlq_messages" {
  alarm_name          = "${var.name_prefix}-dlq-messages"
  alarm_description   = "Messages are waiting in ${aws_sqs_queue.dlq.name}: read their snapline-failure-* attributes, fix, then redrive (docs/dlq-runbook.md)."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "oldest_message" {
  alarm_name          = "${var.name_prefix}-oldest-message"
  alarm_description   = "The oldest message in ${aws_sqs_queue.events.name} is older than ${var.alarm_oldest_message_age_seconds} s: Snapline is not keeping up or not consuming."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = aws_sqs_queue.events.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarm_oldest_message_age_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}

# AWS/ECS publishes a service's CPUUtilization every minute while at least one task runs; no data
# means no running task (whether or not the cluster has Container Insights).
resource "aws_cloudwatch_metric_alarm" "no_running_task" {
  alarm_name          = "${var.name_prefix}-no-running-task"
  alarm_description   = "The ECS service ${aws_ecs_service.service.name} has no running task: nothing consumes the queue (aws ecs describe-services, stopped tasks' reasons)."
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  dimensions          = { ClusterName = local.cluster_name, ServiceName = aws_ecs_service.service.name }
  statistic           = "SampleCount"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "failures" {
  for_each            = local.failure_alarms
  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = each.value.description
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags

  metric_query {
    id          = "q1"
    return_data = true
    period      = 300
    expression = trimspace(format("SELECT SUM(\"%s\") FROM SCHEMA(\"%s\"%s) %s",
      local.snapline_metrics[each.value.metric].name,
      var.metrics_namespace,
      join("", [for d in local.snapline_metrics[each.value.metric].dimensions : ", ${d}"]),
    each.value.where))
  }
}

resource "aws_cloudwatch_dashboard" "this" {
  count          = var.create_dashboard ? 1 : 0
  dashboard_name = var.name_prefix
  dashboard_body = jsonencode({
    widgets = concat(
      [
        {
          type = "metric", x = 0, y = 0, width = 12, height = 6
          properties = {
            title  = "Queue depth"
            region = local.region
            stat   = "Maximum"
            period = 60
            metrics = [
              ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.events.name, { label = "visible" }],
              ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", aws_sqs_queue.events.name, { label = "in flight (SQS)" }],
              ["AWS/SQS", "ApproximateNumberOfMessagesDelayed", "QueueName", aws_sqs_queue.events.name, { label = "delayed (re-checks)" }],
              ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.dlq.name, { label = "dead-letter queue" }],
            ]
          }
        },
        {
          type = "metric", x = 12, y = 0, width = 12, height = 6
          properties = {
            title  = "Age of the oldest message (s) and running tasks"
            region = local.region
            period = 60
            metrics = [
              ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", aws_sqs_queue.events.name, { stat = "Maximum", label = "oldest message age" }],
              ["AWS/ECS", "CPUUtilization", "ClusterName", local.cluster_name, "ServiceName", aws_ecs_service.service.name, { stat = "SampleCount", label = "running tasks (samples per minute)", yAxis = "right" }],
            ]
          }
        },
      ],
      [for i, key in keys(local.snapline_metrics) : {
        type   = "metric"
        x      = (i % 2) * 12
        y      = 6 + floor(i / 2) * 6
        width  = 12
        height = 6
        properties = {
          title  = local.snapline_metrics[key].title
          region = local.region
          period = 60
          metrics = [[{
            id    = "m${i}"
            label = local.snapline_metrics[key].title
            expression = trimspace(format("SELECT %s(\"%s\") FROM SCHEMA(\"%s\"%s) %s",
              endswith(local.snapline_metrics[key].name, ".max") ? "MAX" : (endswith(local.snapline_metrics[key].name, ".avg") || endswith(local.snapline_metrics[key].name, ".value") ? "AVG" : "SUM"),
              local.snapline_metrics[key].name,
              var.metrics_namespace,
              join("", [for d in local.snapline_metrics[key].dimensions : ", ${d}"]),
            local.snapline_metrics[key].group_by == null ? "" : "GROUP BY ${local.snapline_metrics[key].group_by}"))
          }]]
        }
      }],
    )
  })
}
