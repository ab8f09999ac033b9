output "queue_url" {
  description = "The queue Snapline consumes, in region."
  value       = module.source.queue_url
}

output "task_role_arn" {
  description = "Snapline's task role: the destination KMS key's policy must let it use the key for the copies (docs/deployment.md, Cross-region copies)."
  value       = module.source.task_role_arn
}

output "dr_event_topic_arn" {
  description = "The RDS event topic in dr_region whose events reach the queue (null when copies_enabled is false)."
  value       = var.copies_enabled ? module.dr[0].topic_arn : null
}

output "dr_event_subscription_names" {
  description = "The RDS event subscriptions in dr_region (empty when copies_enabled is false)."
  value       = var.copies_enabled ? module.dr[0].event_subscription_names : []
}

output "log_group_name" {
  description = "Snapline's log group."
  value       = module.source.log_group_name
}
