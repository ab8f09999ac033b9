# Snapline's event plumbing in one destination (disaster-recovery) Region of cross-region snapshot copies:
#   RDS event subscriptions (db-snapshot, db-cluster-snapshot) -> SNS topic (KMS, this Region)
#     -> the service's SQS queue in the main Region (SNS to SQS across Regions; raw delivery off).
# RDS announces a copy's end (RDS-EVENT-0060 finished, 0061 canceled) in the destination Region only, so
# each destination Region needs its own subscription. Instantiate this module once per destination Region
# with a provider for that Region (providers = { aws = aws.<alias> }); the source-account module's queue
# policy admits this Region's topic when its `copies` name the Region (accepted_topic_arns).

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  # .id, not .name: the region name under both provider majors (.name is deprecated in 6.x).
  region    = data.aws_region.current.id
  partition = data.aws_partition.current.partition

  # The same name as the main Region's topic: the source-account module derives the ARNs it admits
  # from name_prefix and the copies' destination Regions.
  topic_name = "${var.name_prefix}-rds-events"
  topic_arn  = "arn:${local.partition}:sns:${local.region}:${local.account_id}:${local.topic_name}"
  # The queue's Region and account (var.queue_arn is validated as an SQS queue ARN).
  queue_region  = regex("^arn:[a-z-]+:sqs:([a-z0-9-]+):([0-9]{12}):", var.queue_arn)[0]
  queue_account = regex("^arn:[a-z-]+:sqs:([a-z0-9-]+):([0-9]{12}):", var.queue_arn)[1]
  kms_key       = var.kms_key_arn == null ? aws_kms_key.events[0].arn : var.kms_key_arn
}

# --- KMS ----------------------------------------------------------------------------------

# The topic's key, in this Region (keys are Region-bound). RDS publishes to the encrypted topic, so the
# key policy names events.rds.amazonaws.com, as the main Region's messaging key does. Delivery to the
# queue uses the queue's own key in the main Region, whose policy already admits sns.amazonaws.com of
# this account.
resource "aws_kms_key" "events" {
  count                   = var.kms_key_arn == null ? 1 : 0
  description             = "${var.name_prefix}: RDS event topic of the cross-region copies (${local.region})"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.events_key.json
  tags                    = var.tags
}

resource "aws_kms_alias" "events" {
  count         = var.kms_key_arn == null ? 1 : 0
  name          = "alias/${var.name_prefix}-copy-events"
  target_key_id = aws_kms_key.events[0].key_id
}

data "aws_iam_policy_document" "events_key" {
  statement {
    sid    = "AccountAdministersKey"
    effect = "Allow"
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
    # Partial wildcards: AWS's key-administrator set; IAM policies in this account then decide who
    # administers the key. Without it the key could become unmanageable.
    actions = [
      "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
      "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
      "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
      "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo",
    ]
    # A key policy's resource is always the key itself; "*" is the only value AWS accepts here.
    resources = ["*"]
  }

  # RDS event notifications publish to the encrypted topic. No condition: the RDS user guide's key
  # policy for encrypted event topics names the principal only; the topic policy pins the account.
  statement {
    sid    = "RdsPublishesEncrypted"
    effect = "Allow"
    principals {
      type        = "Service"
      identifiers = ["events.rds.amazonaws.com"]
    }
    actions = ["kms:GenerateDataKey", "kms:Decrypt"]
    # A key policy's resource is always the key itself; "*" is the only value AWS accepts here.
    resources = ["*"]
  }
}

# --- SNS ----------------------------------------------------------------------------------

# RDS cannot publish to FIFO topics, so this is standard.
resource "aws_sns_topic" "events" {
  name              = local.topic_name
  kms_master_key_id = local.kms_key
  tags              = var.tags
}

data "aws_iam_policy_document" "events_topic" {
  statement {
    sid    = "RdsEventNotifications"
    effect = "Allow"
    principals {
      type        = "Service"
      identifiers = ["events.rds.amazonaws.com"]
    }
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.events.arn]
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid    = "TlsOnly"
    effect = "Deny"
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.events.arn]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "events" {
  arn    = aws_sns_topic.events.arn
  policy = data.aws_iam_policy_document.events_topic.json
}

# --- RDS event subscriptions ----------------------------------------------------------------

# The same source types and categories as the main Region's subscriptions. db-snapshot: "notification"
# carries the cross-region copy's started / finished / canceled (RDS-EVENT-0059 / 0060 / 0061) and
# "creation" the manual snapshot created (0042). db-cluster-snapshot: "notification" and "backup"
# (0075, manual cluster snapshot created: which event ids RDS gives a finished cluster snapshot copy is
# not documented, so both categories are taken; reconcile re-drives a copy whose end was never seen).
# For these source types RDS filters by snapshot identifier, so the subscriptions cover every snapshot
# of the Region; the service's copy policies choose.
resource "aws_db_event_subscription" "snapshots" {
  name             = "${var.name_prefix}-db-snapshots"
  sns_topic        = aws_sns_topic.events.arn
  source_type      = "db-snapshot"
  event_categories = ["creation", "notification"]
  tags             = var.tags

  # RDS checks at creation that it may publish to the topic.
  depends_on = [aws_sns_topic_policy.events]
}

resource "aws_db_event_subscription" "cluster_snapshots" {
  name             = "${var.name_prefix}-db-cluster-snapshots"
  sns_topic        = aws_sns_topic.events.arn
  source_type      = "db-cluster-snapshot"
  event_categories = ["backup", "notification"]
  tags             = var.tags

  # RDS checks at creation that it may publish to the topic.
  depends_on = [aws_sns_topic_policy.events]
}

# --- Delivery to the service's queue (main Region) -------------------------------------------

# Raw delivery stays off, as in the main Region: Snapline reads the SNS envelope (MessageId, TopicArn)
# around RDS's JSON. The subscription lives in the topic's Region; SNS confirms an SQS endpoint of the
# same account by itself.
resource "aws_sns_topic_subscription" "events_to_queue" {
  topic_arn            = aws_sns_topic.events.arn
  protocol             = "sqs"
  endpoint             = var.queue_arn
  raw_message_delivery = false

  lifecycle {
    precondition {
      condition     = local.queue_region != local.region
      error_message = "modules/dr-region: the provider's Region (${local.region}) is the queue's own Region: this module is for the copies' destination Regions; the main Region's subscriptions are the source-account module's."
    }
    precondition {
      condition     = contains(var.accepted_topic_arns, local.topic_arn)
      error_message = "modules/dr-region: the queue's policy does not admit ${local.topic_arn}: give the source-account module a copies entry with destination_region = \"${local.region}\" (and pass its output copy_event_topic_arns as accepted_topic_arns), or the queue refuses this topic's deliveries."
    }
    precondition {
      condition     = local.queue_account == local.account_id
      error_message = "modules/dr-region: the queue (account ${local.queue_account}) and this provider (account ${local.account_id}) must be the same account: copies are made in the account that owns the snapshots."
    }
  }
}
