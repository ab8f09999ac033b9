# Offline tests of the Tokyo -> us-east-1 example as a user applies it (terraform test, mock providers:
# one for Tokyo, one for the destination Region).

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111", arn = "arn:aws:iam::111111111111:user/test", user_id = "AIDTEST" }
  }
  mock_data "aws_region" {
    defaults = { id = "ap-northeast-1", name = "ap-northeast-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  # The mock cannot render policy JSON; the tests read the documents' statements instead.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}", minified_json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:ap-northeast-1:111111111111:key/00000000-0000-0000-0000-000000000001", key_id = "00000000-0000-0000-0000-000000000001" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/mock" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:ap-northeast-1:111111111111:table/snapline-ledger" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:ap-northeast-1:111111111111:log-group:/ecs/snapline" }
  }
  mock_resource "aws_ecs_cluster" {
    defaults = { arn = "arn:aws:ecs:ap-northeast-1:111111111111:cluster/snapline" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:ap-northeast-1:111111111111:task-definition/snapline:1" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:ap-northeast-1:111111111111:snapline-rds-events" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:ap-northeast-1:111111111111:snapline-events", id = "https://sqs.ap-northeast-1.amazonaws.com/111111111111/snapline-events", url = "https://sqs.ap-northeast-1.amazonaws.com/111111111111/snapline-events" }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:ap-northeast-1:111111111111:rule/mock" }
  }
}

mock_provider "aws" {
  alias = "dr"
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111", arn = "arn:aws:iam::111111111111:user/test", user_id = "AIDTEST" }
  }
  mock_data "aws_region" {
    defaults = { id = "us-east-1", name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}", minified_json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-00000000dddd", key_id = "00000000-0000-0000-0000-00000000dddd" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:111111111111:snapline-rds-events" }
  }
}

variables {
  bucket_name        = "acme-exports-tokyo"
  db_identifiers     = ["orders-db"]
  container_image    = "111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/snapline:0.1.0"
  subnet_ids         = ["subnet-0123456789abcdef0"]
  security_group_ids = ["sg-0123456789abcdef0"]
  dr_kms_key_arn     = "arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555"
}

run "tokyo_snapshots_us_east_1_events_reach_the_tokyo_queue" {
  assert {
    condition = (module.dr[0].region == "us-east-1"
      && module.dr[0].topic_arn == "arn:aws:sns:us-east-1:111111111111:snapline-rds-events"
    && toset(module.dr[0].event_subscription_names) == toset(["snapline-db-snapshots", "snapline-db-cluster-snapshots"]))
    error_message = "the destination Region must have its topic and both RDS event subscriptions"
  }
  assert {
    condition     = jsonencode(module.source.copy_event_topic_arns) == jsonencode([module.dr[0].topic_arn])
    error_message = "the Tokyo queue's policy must admit the us-east-1 topic, and only the destination Regions' topics"
  }
  assert {
    condition     = module.source.queue_arn == "arn:aws:sqs:ap-northeast-1:111111111111:snapline-events"
    error_message = "the queue is in Tokyo"
  }
  assert {
    condition     = output.dr_event_topic_arn == module.dr[0].topic_arn
    error_message = "the example must expose the destination Region's topic"
  }
}

run "without_copies_nothing_exists_in_the_destination_region" {
  command = plan
  variables {
    copies_enabled = false
  }
  assert {
    condition     = length(module.dr) == 0 && length(module.source.copy_event_topic_arns) == 0 && length(module.source.copy_regions) == 0
    error_message = "without copies no destination-Region resource exists and the queue admits no other topic"
  }
  assert {
    condition     = output.dr_event_topic_arn == null && length(output.dr_event_subscription_names) == 0
    error_message = "the outputs must say there is nothing in the destination Region"
  }
}

run "tokyo_keeps_its_snapshots_50_days_and_the_copies_1_day" {
  command = plan
  assert {
    condition = (module.source.service_configuration.snapshots["tokyo-dr"]["schedule"] == "cron(0 2,14 * * ? *)"
    && module.source.service_configuration.snapshots["tokyo-dr"]["time-zone"] == "Asia/Tokyo")
    error_message = "the service must receive the 02:00 and 14:00 JST schedule"
  }
  assert {
    condition = module.source.service_configuration.retention["tokyo-dr"] == {
      "sources" = ["orders-db"], "scope" = "instance", "name-prefix" = "snapline-tokyo", "keep-days" = 50, "time-zone" = "Asia/Tokyo"
    }
    error_message = "the service must receive the 50-day retention of the Tokyo snapshots, by the schedule's name prefix"
  }
  assert {
    condition     = module.source.service_configuration.copies["tokyo-dr"]["keep-days"] == 1 && module.source.service_configuration.copies["tokyo-dr"]["destination-region"] == "us-east-1"
    error_message = "the service must receive the copy policy: us-east-1, kept 1 day"
  }
}
