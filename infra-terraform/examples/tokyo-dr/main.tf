# The Tokyo case of issue 11: a database in Tokyo, snapshots at 02:00 and 14:00 JST, each copied to
# us-east-1 for disaster recovery. Snapline runs in Tokyo; the destination Region gets its own RDS event
# subscriptions and topic (modules/dr-region), delivering the copies' "finished" and "canceled" events
# to the queue in Tokyo. A second destination Region: one more provider alias and one more dr-region
# module block with providers = { aws = aws.<alias> } (Terraform cannot for_each over providers).

provider "aws" {
  region = var.region
}

# The destination Region of the copies.
provider "aws" {
  alias  = "dr"
  region = var.dr_region
}

locals {
  copies = var.copies_enabled ? {
    tokyo-dr = {
      sources                 = var.db_identifiers
      kinds                   = ["scheduled"]
      destination_region      = var.dr_region
      destination_kms_key_arn = var.dr_kms_key_arn
      keep_days               = 1
    }
  } : {}
}

module "source" {
  source = "../../modules/source-account"

  name_prefix        = var.name_prefix
  export_bucket_name = var.bucket_name

  container_image     = var.container_image
  ecr_repository_arns = var.ecr_repository_arns
  subnet_ids          = var.subnet_ids
  security_group_ids  = var.security_group_ids
  dry_run             = var.dry_run

  alarm_email_addresses = var.alarm_email_addresses

  # docs/schedules.md, the Tokyo example: 02:00 and 14:00 in Tokyo, daylight saving (none there) included.
  snapshot_schedules = {
    tokyo-dr = {
      sources     = var.db_identifiers
      scope       = "instance"
      schedule    = "cron(0 2,14 * * ? *)"
      time_zone   = "Asia/Tokyo"
      name_prefix = "snapline-tokyo"
    }
  }

  # The source snapshots are kept 50 days in Tokyo: the schedule tags them snapline:managed=true, which
  # is what this policy (with their name prefix) prunes, and nothing else.
  retention = {
    tokyo-dr = {
      sources     = var.db_identifiers
      scope       = "instance"
      name_prefix = "snapline-tokyo"
      keep_days   = 50
      time_zone   = "Asia/Tokyo"
    }
  }

  # The copy policy of the same name: its destination Region (and key there). The queue policy admits
  # the destination Region's event topic; the task role's copy grants follow from the same map.
  copies = local.copies

  tags = var.tags
}

# The destination Region's side: RDS snapshot events -> SNS (us-east-1) -> the queue in Tokyo.
module "dr" {
  source = "../../modules/dr-region"
  count  = var.copies_enabled ? 1 : 0
  providers = {
    aws = aws.dr
  }

  name_prefix         = var.name_prefix
  queue_arn           = module.source.queue_arn
  accepted_topic_arns = module.source.copy_event_topic_arns

  tags = var.tags
}
