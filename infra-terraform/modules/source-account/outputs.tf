output "queue_url" {
  description = "URL of the queue Snapline consumes (SNAPLINE_QUEUE_URL)."
  value       = aws_sqs_queue.events.id
}

output "queue_arn" {
  description = "ARN of the queue Snapline consumes."
  value       = aws_sqs_queue.events.arn
}

output "dlq_url" {
  description = "URL of the dead-letter queue."
  value       = aws_sqs_queue.dlq.id
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dlq.arn
}

output "events_topic_arn" {
  description = "The SNS topic the RDS event subscriptions publish to."
  value       = aws_sns_topic.events.arn
}

output "notifications_topic_arn" {
  description = "The SNS topic Snapline publishes its summaries and failure notices to; subscribe people here."
  value       = aws_sns_topic.notifications.arn
}

output "ledger_table_name" {
  description = "The DynamoDB ledger table (SNAPLINE_LEDGER_TABLE)."
  value       = aws_dynamodb_table.ledger.name
}

output "export_role_arn" {
  description = "The role RDS assumes to write exports; give it to Snapline's export policy and to the bucket policy."
  value       = aws_iam_role.export.arn
}

output "export_kms_key_arn" {
  description = "The KMS key exports are encrypted with; readers of the exported files need kms:Decrypt on it."
  value       = aws_kms_key.export.arn
}

output "batch_operations_role_arn" {
  description = "The role S3 Batch Operations jobs run as (ACL rewrite)."
  value       = aws_iam_role.batch_operations.arn
}

output "task_role_arn" {
  description = "Snapline's task role; the analytics bucket policy and cross-account role trust it."
  value       = aws_iam_role.task.arn
}

output "event_rule_arns" {
  description = "EventBridge rules (events and schedules) that deliver to the queue, by name."
  value = merge(
    { for k, r in aws_cloudwatch_event_rule.events : k => r.arn },
    { for k, r in aws_cloudwatch_event_rule.schedules : k => r.arn },
  )
}

output "ecs_cluster_arn" {
  description = "The cluster the service runs in."
  value       = local.cluster_arn
}

output "ecs_service_name" {
  description = "The ECS service running Snapline."
  value       = aws_ecs_service.service.name
}

output "log_group_name" {
  description = "CloudWatch log group of the service."
  value       = aws_cloudwatch_log_group.service.name
}

output "alarm_topic_arn" {
  description = "The SNS topic the CloudWatch alarms notify (created as <name_prefix>-alarms unless alarm_topic_arn was given); subscribe the on-call here."
  value       = local.alarm_topic_arn
}

output "alarm_names" {
  description = "The CloudWatch alarms of the deployment: dead-letter queue, oldest message, no running task, Snapline's failure counters."
  value = concat(
    [aws_cloudwatch_metric_alarm.dlq_messages.alarm_name, aws_cloudwatch_metric_alarm.oldest_message.alarm_name, aws_cloudwatch_metric_alarm.no_running_task.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.failures : a.alarm_name],
  )
}

output "dashboard_name" {
  description = "The CloudWatch dashboard (null when create_dashboard is false)."
  value       = var.create_dashboard ? aws_cloudwatch_dashboard.this[0].dashboard_name : null
}

output "container_platform" {
  description = "The platform to build the image for, from cpu_architecture: docker buildx build --platform <this>."
  value       = local.container_platform
}

output "metrics_namespace" {
  description = "The CloudWatch namespace of Snapline's own metrics."
  value       = var.metrics_namespace
}

output "export_policies" {
  description = "The export policies as Snapline receives them (snapline.exports.<name>.*), with the module's defaults filled in; secrets appear as their $${SNAPLINE_SECRET_...} placeholders only."
  value       = local.export_policies
}

output "service_configuration" {
  description = "The policies as the container receives them in MICRONAUT_APPLICATION_JSON (snapline.exports, .snapshots, .copies, .retention), unset keys left out; secrets appear as their $${SNAPLINE_SECRET_...} placeholders only."
  value       = jsondecode(local.export_policies_json)["snapline"]
}

output "task_role_grants" {
  description = "The resources the task role is granted that are derived from the export policies: roles it may assume and pass, topics it may publish to, export keys, crawlers it starts itself."
  value = {
    assume_role  = local.assumed_role_arns
    pass_role    = local.passed_role_arns
    sns_publish  = local.notification_topic_arns
    export_keys  = local.export_key_arns
    own_crawlers = local.own_crawler_names
  }
}

output "clone_masking_security_group_id" {
  description = "The security group for clone policies' masking-security-groups (null without clone_vpc_id)."
  value       = var.clone_vpc_id == null ? null : aws_security_group.clone_masking[0].id
}

output "copy_regions" {
  description = "The destination Regions of the copies: instantiate modules/dr-region once in each."
  value       = local.copy_regions
}

output "copy_event_topic_arns" {
  description = "The RDS event topics of the copies' destination Regions that the queue's policy admits; pass to every modules/dr-region as accepted_topic_arns."
  value       = local.copy_event_topic_arns
}
