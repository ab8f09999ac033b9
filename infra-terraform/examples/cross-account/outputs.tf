output "queue_url" {
  description = "The queue Snapline consumes (source account)."
  value       = module.source.queue_url
}

output "dlq_url" {
  description = "The dead-letter queue (source account)."
  value       = module.source.dlq_url
}

output "notifications_topic_arn" {
  description = "Subscribe an address here for Snapline's summaries and failure notices."
  value       = module.source.notifications_topic_arn
}

output "bucket_name" {
  description = "The export bucket (analytics account)."
  value       = module.analytics.bucket_name
}

output "cross_account_role_arn" {
  description = "The analytics role Snapline assumes."
  value       = module.analytics.cross_account_role_arn
}

output "crawler_name" {
  description = "The Glue crawler over the exports (analytics account)."
  value       = module.analytics.crawler_name
}

output "glue_database_name" {
  description = "The Glue database to query with Athena (analytics account)."
  value       = module.analytics.glue_database_name
}

output "alarm_topic_arn" {
  description = "The SNS topic the CloudWatch alarms notify; subscribe the on-call here."
  value       = module.source.alarm_topic_arn
}

output "dashboard_name" {
  description = "The CloudWatch dashboard of the deployment."
  value       = module.source.dashboard_name
}

output "container_platform" {
  description = "The docker build --platform the image must be built for (from cpu_architecture)."
  value       = module.source.container_platform
}
