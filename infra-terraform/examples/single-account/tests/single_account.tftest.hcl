# Offline tests of the example as a user applies it (terraform test, mock provider).

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

variables {
  region             = "eu-west-1"
  bucket_name        = "acme-exports"
  db_identifiers     = ["orders-db"]
  container_image    = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/snapline:0.1.0"
  subnet_ids         = ["subnet-0123456789abcdef0"]
  security_group_ids = ["sg-0123456789abcdef0"]
}

run "one_account_wiring" {
  assert {
    condition     = module.source.export_policies["analytics"]["crawler"] == module.analytics.crawler_name && module.source.export_policies["analytics"]["bucket"] == module.analytics.bucket_name
    error_message = "the export policy must name the analytics module's crawler and bucket"
  }
  assert {
    condition     = toset(module.source.task_role_grants.own_crawlers) == toset([module.analytics.crawler_name]) && length(module.source.task_role_grants.assume_role) == 0
    error_message = "in one account the task role starts the crawler itself and assumes no role"
  }
  assert {
    condition     = output.alarm_topic_arn != null && output.dashboard_name == "snapline" && output.container_platform == "linux/amd64"
    error_message = "the example must expose the alarm topic, the dashboard and the build platform"
  }
  assert {
    condition     = module.source.export_policies["analytics"]["notification-topic"] == output.notifications_topic_arn
    error_message = "the policy notifies the deployment's own topic"
  }
}

run "graviton" {
  command = plan
  variables {
    cpu_architecture = "ARM64"
  }
  assert {
    condition     = output.container_platform == "linux/arm64"
    error_message = "ARM64 must name the linux/arm64 build"
  }
}
