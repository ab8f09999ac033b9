# Snapline in one account: the databases, the export bucket, the Glue catalog and the service
# all live together. Snapline's task role is granted the crawler directly; no role is assumed.

provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

module "source" {
  source = "../../modules/source-account"

  name_prefix        = var.name_prefix
  export_bucket_name = var.bucket_name
  export_prefix      = var.export_prefix

  container_image     = var.container_image
  ecr_repository_arns = var.ecr_repository_arns
  subnet_ids          = var.subnet_ids
  security_group_ids  = var.security_group_ids
  dry_run             = var.dry_run
  cpu_architecture    = var.cpu_architecture

  alarm_email_addresses = var.alarm_email_addresses

  # One export policy named "analytics": bucket, prefix, key, export role, Batch Operations role and
  # notification topic default to this deployment's own. Its crawler has no crawler_role_arn, so the
  # task role is granted glue:StartCrawler on it directly.
  export_policies = {
    analytics = {
      sources  = var.db_identifiers
      crawler  = module.analytics.crawler_name
      acl_mode = var.acl_mode
    }
  }

  tags = var.tags
}

module "analytics" {
  source = "../../modules/analytics-account"

  name_prefix               = var.name_prefix
  bucket_name               = var.bucket_name
  export_prefix             = var.export_prefix
  acl_mode                  = var.acl_mode
  source_account_id         = data.aws_caller_identity.current.account_id
  export_role_arn           = module.source.export_role_arn
  snapline_task_role_arn    = module.source.task_role_arn
  batch_operations_role_arn = contains(["auto", "batch"], var.acl_mode) ? module.source.batch_operations_role_arn : null
  export_kms_key_arn        = module.source.export_kms_key_arn
  create_cross_account_role = false

  tags = var.tags
}
