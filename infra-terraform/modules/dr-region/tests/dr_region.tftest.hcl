# Offline module tests (terraform test, mock provider: nothing is created anywhere). The provider plays
# the destination Region us-east-1; the queue is in ap-northeast-1 (the Tokyo case).

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111", arn = "arn:aws:iam::111111111111:user/test", user_id = "AIDTEST" }
  }
  mock_data "aws_region" {
    defaults = { id = "us-east-1", name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  # The mock cannot render policy JSON; the tests read the documents' statements instead.
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
  queue_arn           = "arn:aws:sqs:ap-northeast-1:111111111111:snapline-events"
  accepted_topic_arns = ["arn:aws:sns:us-east-1:111111111111:snapline-rds-events"]
}

run "destination_region_events_reach_the_main_queue" {
  assert {
    condition = (aws_db_event_subscription.snapshots.source_type == "db-snapshot"
      && toset(aws_db_event_subscription.snapshots.event_categories) == toset(["creation", "notification"])
      && aws_db_event_subscription.cluster_snapshots.source_type == "db-cluster-snapshot"
    && toset(aws_db_event_subscription.cluster_snapshots.event_categories) == toset(["backup", "notification"]))
    error_message = "db-snapshot needs notification (copy 0059/0060/0061) and creation (0042); db-cluster-snapshot backup and notification"
  }
  assert {
    condition     = aws_db_event_subscription.snapshots.sns_topic == aws_sns_topic.events.arn && aws_db_event_subscription.cluster_snapshots.sns_topic == aws_sns_topic.events.arn
    error_message = "both RDS event subscriptions must publish to this Region's topic"
  }
  assert {
    condition     = length(coalesce(aws_db_event_subscription.snapshots.source_ids, [])) == 0 && length(coalesce(aws_db_event_subscription.cluster_snapshots.source_ids, [])) == 0
    error_message = "the subscriptions must cover every snapshot of the Region (the copy policies choose)"
  }
  assert {
    condition = (aws_sns_topic_subscription.events_to_queue.protocol == "sqs"
      && aws_sns_topic_subscription.events_to_queue.endpoint == "arn:aws:sqs:ap-northeast-1:111111111111:snapline-events"
      && aws_sns_topic_subscription.events_to_queue.raw_message_delivery == false
    && aws_sns_topic_subscription.events_to_queue.topic_arn == aws_sns_topic.events.arn)
    error_message = "the topic must deliver the SNS envelope (raw delivery off) to the main Region's queue"
  }
  assert {
    condition     = aws_sns_topic.events.name == "snapline-rds-events" && output.topic_arn == "arn:aws:sns:us-east-1:111111111111:snapline-rds-events"
    error_message = "the topic must carry the name the source-account module's queue policy admits"
  }
}

run "the_topic_admits_rds_events_of_this_account_over_tls_and_is_encrypted" {
  assert {
    condition = one([for s in data.aws_iam_policy_document.events_topic.statement :
      s.effect == "Allow" && s.actions == toset(["sns:Publish"]) && s.resources == toset([aws_sns_topic.events.arn])
      && flatten([for p in s.principals : p.identifiers]) == ["events.rds.amazonaws.com"]
      && one(s.condition).variable == "aws:SourceAccount" && toset(one(s.condition).values) == toset(["111111111111"])
    if s.sid == "RdsEventNotifications"])
    error_message = "the topic policy must let RDS events of this account publish, and only them"
  }
  assert {
    condition = anytrue([for s in data.aws_iam_policy_document.events_topic.statement :
    s.effect == "Deny" && one(s.condition).variable == "aws:SecureTransport" && toset(one(s.condition).values) == toset(["false"])])
    error_message = "the topic policy must deny plain HTTP"
  }
  assert {
    condition     = aws_sns_topic_policy.events.arn == aws_sns_topic.events.arn
    error_message = "the policy must be the topic's"
  }
  assert {
    condition = (aws_sns_topic.events.kms_master_key_id == aws_kms_key.events[0].arn && aws_kms_key.events[0].enable_key_rotation
      && anytrue([for st in data.aws_iam_policy_document.events_key.statement :
    contains(flatten([for pr in st.principals : pr.identifiers]), "events.rds.amazonaws.com") && contains(st.actions, "kms:GenerateDataKey")]))
    error_message = "the topic must be encrypted with a rotated key of this Region that RDS may use"
  }
}

run "an_existing_key_is_used" {
  command = plan
  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  }
  assert {
    condition     = length(aws_kms_key.events) == 0 && aws_sns_topic.events.kms_master_key_id == "arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555"
    error_message = "kms_key_arn must replace the module's key"
  }
}

run "a_region_the_queue_does_not_admit_is_refused" {
  command = plan
  variables {
    accepted_topic_arns = ["arn:aws:sns:eu-west-1:111111111111:snapline-rds-events"]
  }
  expect_failures = [aws_sns_topic_subscription.events_to_queue]
}

run "the_queue_region_itself_is_refused" {
  command = plan
  variables {
    queue_arn = "arn:aws:sqs:us-east-1:111111111111:snapline-events"
  }
  expect_failures = [aws_sns_topic_subscription.events_to_queue]
}

run "a_queue_of_another_account_is_refused" {
  command = plan
  variables {
    queue_arn = "arn:aws:sqs:ap-northeast-1:222222222222:snapline-events"
  }
  expect_failures = [aws_sns_topic_subscription.events_to_queue]
}

run "a_malformed_queue_arn_is_refused" {
  command = plan
  variables {
    queue_arn = "https://sqs.ap-northeast-1.amazonaws.com/111111111111/snapline-events"
  }
  expect_failures = [var.queue_arn]
}
