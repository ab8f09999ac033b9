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

data "aws_caller_identity" "analytics" {
  provider = aws.analytics
}

module "source" {
  source = "../../modules/source-account"

  name_prefix            = var.name_prefix
  export_bucket_name     = var.bucket_name
  export_prefix          = var.export_prefix
  cross_account_role_arn = module.analytics.cross_account_role_arn
  # The analytics crawler (and the cross-account role) read the Parquet files, which are encrypted
  # with the source account's key.
  export_key_user_arns = concat(
    [module.analytics.crawler_role_arn, module.analytics.cross_account_role_arn],
    var.export_readers,
  )

  container_image     = var.container_image
  ecr_repository_arns = var.ecr_repository_arns
  subnet_ids          = var.subnet_ids
  security_group_ids  = var.security_group_ids
  dry_run             = var.dry_run

  # One export policy named "analytics"; its crawler lives in the analytics account and is started
  # through the cross-account role (crawler-role-arn / crawler-external-id: see docs/deployment.md).
  export_policies = {
    analytics = {
      sources              = var.db_identifiers
      crawler              = module.analytics.crawler_name
      crawler_role_arn     = module.analytics.cross_account_role_arn
      crawler_external_id  = var.external_id
      acl_mode             = var.acl_mode
      bucket_owner_account = data.aws_caller_identity.analytics.account_id
    }
  }

  tags = var.tags
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
