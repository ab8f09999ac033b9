output "queue_url" {
  description = "The queue Snapline consumes."
  value       = module.source.queue_url
}

output "dlq_url" {
  description = "The dead-letter queue; look here when something fails for good."
  value       = module.source.dlq_url
}

output "notifications_topic_arn" {
  description = "Subscribe an address here for Snapline's summaries and failure notices."
  value       = module.source.notifications_topic_arn
}

output "bucket_name" {
  description = "The export bucket."
  value       = module.analytics.bucket_name
}

output "crawler_name" {
  description = "The Glue crawler over the exports."
  value       = module.analytics.crawler_name
}

output "glue_database_name" {
  description = "The Glue database to query with Athena."
  value       = module.analytics.glue_database_name
}

output "log_group_name" {
  description = "Snapline's log group."
  value       = module.source.log_group_name
}
