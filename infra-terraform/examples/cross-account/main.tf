# Snapline across two accounts: the production (source) account owns the databases, the export
# role and key and runs the service; the analytics account owns the bucket, the Glue catalog and
# the crawler, and a role Snapline assumes (with an external id) to start that crawler.

provider "aws" {
  region  = var.region
  profile = var.source_profile
}

provider "aws" {
  alias   = "analytics"
  region  = var.region
  profile = var.analytics_profile
}

data "aws_caller_identity" "source" {}

# The external id, kept in Secrets Manager in the source account (the task's execution role reads it
# at start). Terraform state holds the value too, as it holds the analytics role's trust policy that
# names it: keep the state encrypted and access-controlled.
resource "aws_secretsmanager_secret" "external_id" {
  name_prefix             = "${var.name_prefix}-analytics-external-id-"
  description             = "sts:ExternalId Snapline presents to assume ${var.name_prefix}-cross-account in the analytics account"
  recovery_window_in_days = 7
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "external_id" {
  secret_id     = aws_secretsmanager_secret.external_id.id
  secret_string = var.external_id
}

data "aws_caller_identity" "analytics" {
  provider = aws.analytics
}

module "source" {
  source = "../../modules/source-account"

  name_prefix        = var.name_prefix
  export_bucket_name = var.bucket_name
  export_prefix      = var.export_prefix
  # The analytics crawler reads the Parquet files, which are encrypted with the source account's key.
  export_key_user_arns = concat([module.analytics.crawler_role_arn], var.export_readers)

  container_image     = var.container_image
  ecr_repository_arns = var.ecr_repository_arns
  subnet_ids          = var.subnet_ids
  security_group_ids  = var.security_group_ids
  dry_run             = var.dry_run
  cpu_architecture    = var.cpu_architecture

  alarm_email_addresses = var.alarm_email_addresses

  # One export policy named "analytics"; its crawler lives in the analytics account and is started
  # through the cross-account role (crawler-role-arn; the module grants the task role sts:AssumeRole
  # on it). The external id reaches the container as an ECS secret, never in the task definition.
  export_policies = {
    analytics = {
      sources                        = var.db_identifiers
      crawler                        = module.analytics.crawler_name
      crawler_role_arn               = module.analytics.cross_account_role_arn
      crawler_external_id_secret_arn = aws_secretsmanager_secret.external_id.arn
      acl_mode                       = var.acl_mode
      bucket_owner_account           = data.aws_caller_identity.analytics.account_id
    }
  }

  tags = var.tags

  # ECS reads the secret when a task starts: its value must exist first.
  depends_on = [aws_secretsmanager_secret_version.external_id]
}

module "analytics" {
  source = "../../modules/analytics-account"
  providers = {
    aws = aws.analytics
  }

  name_prefix       = var.name_prefix
  bucket_name       = var.bucket_name
  export_prefix     = var.export_prefix
  acl_mode          = var.acl_mode
  source_account_id = data.aws_caller_identity.source.account_id

  export_role_arn           = module.source.export_role_arn
  snapline_task_role_arn    = module.source.task_role_arn
  batch_operations_role_arn = contains(["auto", "batch"], var.acl_mode) ? module.source.batch_operations_role_arn : null
  export_kms_key_arn        = module.source.export_kms_key_arn

  create_cross_account_role = true
  external_id               = var.external_id

  tags = var.tags
}

check "two_accounts" {
  assert {
    condition     = data.aws_caller_identity.source.account_id != data.aws_caller_identity.analytics.account_id
    error_message = "source_profile and analytics_profile resolve to the same account; use examples/single-account instead."
  }
}
