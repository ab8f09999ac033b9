output "region" {
  description = "The destination Region this module's subscriptions are in."
  value       = local.region
}

output "topic_arn" {
  description = "The SNS topic this Region's RDS snapshot events are published to."
  value       = aws_sns_topic.events.arn
}

output "subscription_arn" {
  description = "The topic's subscription delivering to the service's queue."
  value       = aws_sns_topic_subscription.events_to_queue.arn
}

output "event_subscription_names" {
  description = "The RDS event subscriptions of this Region (db-snapshot, db-cluster-snapshot)."
  value       = [aws_db_event_subscription.snapshots.name, aws_db_event_subscription.cluster_snapshots.name]
}

output "kms_key_arn" {
  description = "The topic's KMS key (created here unless kms_key_arn was given)."
  value       = local.kms_key
}
