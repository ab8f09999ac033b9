# Offline tests of the example as a user applies it (terraform test, mock providers for both accounts).

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111", arn = "arn:aws:iam::111111111111:user/test", user_id = "AIDTEST" }
  }
  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  # The mock cannot render policy JSON; the module tests read the documents' statements instead.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}", minified_json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000001", key_id = "00000000-0000-0000-0000-000000000001" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/mock" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:eu-west-1:111111111111:table/snapline-ledger" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111111111111:log-group:/ecs/snapline" }
  }
  mock_resource "aws_ecs_cluster" {
    defaults = { arn = "arn:aws:ecs:eu-west-1:111111111111:cluster/snapline" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:eu-west-1:111111111111:task-definition/snapline:1" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:111111111111:mock" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-1:111111111111:mock", id = "https://sqs.eu-west-1.amazonaws.com/111111111111/mock", url = "https://sqs.eu-west-1.amazonaws.com/111111111111/mock" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:111111111111:rule/mock" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::acme-exports", bucket = "acme-exports", id = "acme-exports" }
  }
  mock_resource "aws_glue_crawler" {
    defaults = { arn = "arn:aws:glue:eu-west-1:111111111111:crawler/snapline-exports" }
  }
  mock_resource "aws_glue_catalog_database" {
    defaults = { arn = "arn:aws:glue:eu-west-1:111111111111:database/snapline" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:snapline-analytics-external-id-AbCdEf", id = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:snapline-analytics-external-id-AbCdEf" }
  }
}

mock_provider "aws" {
  alias = "analytics"

  mock_data "aws_caller_identity" {
    defaults = { account_id = "333333333333", arn = "arn:aws:iam::333333333333:user/test", user_id = "AIDTEST" }
  }
  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  # The mock cannot render policy JSON; the module tests read the documents' statements instead.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}", minified_json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:333333333333:key/00000000-0000-0000-0000-000000000001", key_id = "00000000-0000-0000-0000-000000000001" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::333333333333:role/mock" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:eu-west-1:333333333333:table/snapline-ledger" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:333333333333:log-group:/ecs/snapline" }
  }
  mock_resource "aws_ecs_cluster" {
    defaults = { arn = "arn:aws:ecs:eu-west-1:333333333333:cluster/snapline" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:eu-west-1:333333333333:task-definition/snapline:1" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:333333333333:mock" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-1:333333333333:mock", id = "https://sqs.eu-west-1.amazonaws.com/333333333333/mock", url = "https://sqs.eu-west-1.amazonaws.com/333333333333/mock" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:333333333333:rule/mock" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::acme-exports", bucket = "acme-exports", id = "acme-exports" }
  }
  mock_resource "aws_glue_crawler" {
    defaults = { arn = "arn:aws:glue:eu-west-1:333333333333:crawler/snapline-exports" }
  }
  mock_resource "aws_glue_catalog_database" {
    defaults = { arn = "arn:aws:glue:eu-west-1:333333333333:database/snapline" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-west-1:333333333333:secret:snapline-analytics-external-id-AbCdEf", id = "arn:aws:secretsmanager:eu-west-1:333333333333:secret:snapline-analytics-external-id-AbCdEf" }
  }
}

variables {
  region             = "eu-west-1"
  bucket_name        = "acme-exports"
  db_identifiers     = ["orders-db"]
  container_image    = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/snapline:0.1.0"
  subnet_ids         = ["subnet-0123456789abcdef0"]
  security_group_ids = ["sg-0123456789abcdef0"]
  analytics_profile  = "analytics"
  external_id        = "0123456789abcdef0123456789abcdef"
}

run "two_account_wiring" {
  assert {
    condition     = module.source.export_policies["analytics"]["crawler-role-arn"] == module.analytics.cross_account_role_arn && toset(module.source.task_role_grants.assume_role) == toset([module.analytics.cross_account_role_arn])
    error_message = "Snapline must assume exactly the analytics cross-account role to start the crawler"
  }
  assert {
    condition     = module.source.export_policies["analytics"]["crawler-external-id"] == "$${SNAPLINE_SECRET_ANALYTICS_CRAWLER_EXTERNAL_ID}"
    error_message = "the external id must reach Snapline as an ECS secret, by placeholder"
  }
  assert {
    condition     = aws_secretsmanager_secret_version.external_id.secret_string == var.external_id && length(module.source.task_role_grants.own_crawlers) == 0
    error_message = "the external id is kept in Secrets Manager; the task role starts no crawler itself"
  }
  assert {
    condition     = module.source.export_policies["analytics"]["bucket-owner-account"] == "333333333333"
    error_message = "S3 calls must expect the analytics account as the bucket owner"
  }
  assert {
    condition     = output.alarm_topic_arn != null && output.cross_account_role_arn != null
    error_message = "the example must expose the alarm topic and the cross-account role"
  }
}

run "the_placeholder_external_id_is_refused" {
  command = plan
  variables {
    external_id = "replace-with-openssl-rand-hex-16"
  }
  expect_failures = [var.external_id]
}
