# --- Snapshot retention (snapline.retention.<name>.*) ----------------------------------------------
#
# The policies that prune manual snapshots, passed to the container with the other policies
# (ecs.tf). The task role's Snapshots statement (iam.tf) already lets the service describe and delete
# snapshots of this Region; what a policy may delete is decided by the service's rails (name prefix,
# management tag, caps, never automated, AWS Backup, shared or public), not by IAM.

locals {
  retention_policies = { for name, r in var.retention : name => {
    "sources"            = r.sources
    "scope"              = r.scope
    "name-prefix"        = r.name_prefix
    "keep-days"          = r.keep_days
    "keep-last"          = r.keep_last
    "keep-daily"         = r.keep_daily
    "keep-weekly"        = r.keep_weekly
    "keep-monthly"       = r.keep_monthly
    "time-zone"          = r.time_zone
    "max-deletes"        = r.max_deletes
    "max-delete-percent" = r.max_delete_percent
    "notification-topic" = r.notification_topic
    "management-tag" = r.management_tag_key == null && r.management_tag_value == null ? null : {
      "key"   = r.management_tag_key
      "value" = r.management_tag_value
    }
  } }
}
