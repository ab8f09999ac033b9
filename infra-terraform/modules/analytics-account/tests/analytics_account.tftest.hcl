# Offline module tests (terraform test, mock provider: nothing is created anywhere).

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "333333333333", arn = "arn:aws:iam::333333333333:user/test", user_id = "AIDTEST" }
  }
  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}", minified_json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::acme-analytics-exports", bucket = "acme-analytics-exports", id = "acme-analytics-exports" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::333333333333:role/mock" }
  }
  mock_resource "aws_glue_crawler" {
    defaults = { arn = "arn:aws:glue:eu-west-1:333333333333:crawler/snapline-exports" }
  }
  mock_resource "aws_glue_catalog_database" {
    defaults = { arn = "arn:aws:glue:eu-west-1:333333333333:database/snapline" }
  }
}

variables {
  bucket_name            = "acme-analytics-exports"
  source_account_id      = "111111111111"
  export_role_arn        = "arn:aws:iam::111111111111:role/snapline-rds-export"
  snapline_task_role_arn = "arn:aws:iam::111111111111:role/snapline-task"
  export_kms_key_arn     = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000001"
  external_id            = "0123456789abcdef0123456789abcdef"
}

run "pruned_exports_leave_the_catalog" {
  command = plan
  assert {
    condition     = aws_glue_crawler.exports.schema_change_policy[0].delete_behavior == "DELETE_FROM_DATABASE"
    error_message = "the crawler must delete the tables of pruned exports (README, docs/pruning.md)"
  }
  assert {
    condition     = toset(aws_glue_crawler.exports.s3_target[0].exclusions) == toset(["**/export_info_*.json", "**/export_tables_info_*.json", "**/_SUCCESS"])
    error_message = "the crawler must skip the export's metadata files"
  }
  assert {
    condition     = jsondecode(aws_glue_crawler.exports.configuration).Grouping.TableGroupingPolicy == "CombineCompatibleSchemas" && jsondecode(aws_glue_crawler.exports.configuration).Grouping.TableLevelConfiguration == 4
    error_message = "tables are combined at <prefix>/<task>/<database>/<schema.table>"
  }
}

run "bucket_is_private_tls_only_and_encrypted" {
  assert {
    condition = alltrue([aws_s3_bucket_public_access_block.exports.block_public_acls, aws_s3_bucket_public_access_block.exports.block_public_policy,
    aws_s3_bucket_public_access_block.exports.ignore_public_acls, aws_s3_bucket_public_access_block.exports.restrict_public_buckets])
    error_message = "public access must be blocked"
  }
  assert {
    condition = one([for s in data.aws_iam_policy_document.bucket.statement :
    s.effect == "Deny" && one(s.condition).variable == "aws:SecureTransport" && toset(one(s.condition).values) == toset(["false"]) if s.sid == "TlsOnly"])
    error_message = "the bucket policy must deny plain HTTP"
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.exports.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"
    error_message = "the bucket must encrypt by default"
  }
  assert {
    condition     = aws_s3_bucket_ownership_controls.exports.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "acl_mode none must disable ACLs"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.bucket.statement : s.actions if s.sid == "SnaplineManagesExports"]) == toset(["s3:PutObjectAcl", "s3:DeleteObject"])
    error_message = "Snapline's task role may re-ACL and delete exports, nothing more (it reads no object)"
  }
}

run "cross_account_role_needs_the_external_id_and_drives_only_glue" {
  assert {
    condition = one([for s in data.aws_iam_policy_document.cross_account_trust.statement :
      one(s.condition).variable == "sts:ExternalId" && toset(one(s.condition).values) == toset([var.external_id])
    && toset(one(s.principals).identifiers) == toset([var.snapline_task_role_arn])])
    error_message = "only Snapline's task role, with the external id, may assume the cross-account role"
  }
  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.cross_account.statement : s.actions])) == toset(["glue:StartCrawler", "glue:GetCrawler"])
    error_message = "the cross-account role is used for the crawler only"
  }
}

run "acl_rewrite_needs_bucket_owner_preferred" {
  command = plan
  variables {
    acl_mode                  = "auto"
    batch_operations_role_arn = "arn:aws:iam::111111111111:role/snapline-s3-batch-operations"
  }
  assert {
    condition     = aws_s3_bucket_ownership_controls.exports.rule[0].object_ownership == "BucketOwnerPreferred"
    error_message = "ACL modes other than none must keep ACLs"
  }
}

run "the_documented_placeholder_external_id_is_refused" {
  command = plan
  variables {
    external_id = "replace-with-openssl-rand-hex-16"
  }
  expect_failures = [var.external_id]
}

run "a_short_external_id_is_refused" {
  command = plan
  variables {
    external_id = "abc"
  }
  expect_failures = [var.external_id]
}

run "the_cross_account_role_requires_an_external_id" {
  command = plan
  variables {
    external_id = null
  }
  expect_failures = [aws_iam_role.cross_account]
}
