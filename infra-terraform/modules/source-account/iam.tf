# The roles of the source account: the export role RDS assumes, the S3 Batch Operations role,
# and Snapline's task and execution roles. Each grant names the resource wherever IAM allows it.

# --- Export role (assumed by RDS to write the export) -------------------------------------

data "aws_iam_policy_document" "export_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["export.rds.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "export" {
  name               = "${var.name_prefix}-rds-export"
  description        = "Assumed by RDS to write snapshot exports to s3://${var.export_bucket_name}/${var.export_prefix}/"
  assume_role_policy = data.aws_iam_policy_document.export_trust.json
  tags               = var.tags
}

# The permissions the RDS user guide (USER_ExportSnapshot) lists for the export role.
data "aws_iam_policy_document" "export" {
  statement {
    sid = "WriteExportObjects"
    # Partial wildcards exactly as the RDS user guide gives them: RDS writes, reads back and cleans up
    # objects (multipart parts, tags) with calls that AWS does not enumerate.
    actions   = ["s3:PutObject*", "s3:GetObject*", "s3:DeleteObject*"]
    resources = ["${local.export_bucket_arn}/${var.export_prefix}/*"]
  }

  statement {
    sid       = "ListExportBucket"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [local.export_bucket_arn]
  }

  statement {
    sid       = "EncryptWithExportKey"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.export.arn]
  }
}

resource "aws_iam_role_policy" "export" {
  name   = "export"
  role   = aws_iam_role.export.id
  policy = data.aws_iam_policy_document.export.json
}

# --- S3 Batch Operations role (rewrites ACLs of exported objects) -------------------------

data "aws_iam_policy_document" "batch_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["batchoperations.s3.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "batch_operations" {
  name               = "${var.name_prefix}-s3-batch-operations"
  description        = "Assumed by S3 Batch Operations to set bucket-owner-full-control on exported objects"
  assume_role_policy = data.aws_iam_policy_document.batch_trust.json
  tags               = var.tags
}

data "aws_iam_policy_document" "batch_operations" {
  statement {
    sid       = "RewriteAcls"
    actions   = ["s3:PutObjectAcl", "s3:PutObjectVersionAcl", "s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${local.export_bucket_arn}/${var.export_prefix}/*"]
  }

  statement {
    sid       = "GenerateManifest"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [local.export_bucket_arn]
  }

  statement {
    sid       = "WriteReportAndManifest"
    actions   = ["s3:PutObject"]
    resources = ["${local.export_bucket_arn}/${var.export_prefix}/*"]
  }
}

resource "aws_iam_role_policy" "batch_operations" {
  name   = "batch-operations"
  role   = aws_iam_role.batch_operations.id
  policy = data.aws_iam_policy_document.batch_operations.json
}

# --- Task role: exactly the calls Snapline makes ------------------------------------------
# ServiceRolePermissionsTest derives the calls from the Java code and checks each is granted here.

data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "task" {
  name               = "${var.name_prefix}-task"
  description        = "Snapline service: consumes its queue, keeps its ledger, exports, prunes, crawls"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
  tags               = var.tags
}

locals {
  # What the task role must reach, derived from the export policies the module is given (with the
  # module's own resources as their defaults), so that a policy with its own role, topic or key works
  # without a hand-made grant. New features add their resources here.
  policies = values(local.export_policies)

  # sts:AssumeRole: every source-role-arn and crawler-role-arn, and cross_account_role_arn.
  assumed_role_arns = sort(distinct(compact(concat(
    [var.cross_account_role_arn],
    [for p in local.policies : p["source-role-arn"]],
    [for p in local.policies : p["crawler-role-arn"]],
  ))))

  # sns:Publish: the notifications topic, every policy's notification-topic, the prune summaries' topic.
  notification_topic_arns = sort(distinct(compact(concat(
    [aws_sns_topic.notifications.arn, local.environment["SNAPLINE_PRUNE_NOTIFICATION_TOPIC"]],
    [for p in local.policies : p["notification-topic"]],
  ))))

  # iam:PassRole: the export role of every policy (RDS assumes it) and the Batch Operations role of
  # every policy that may create a batch job.
  passed_role_arns = sort(distinct(compact(concat(
    [aws_iam_role.export.arn],
    [for p in local.policies : p["export-role-arn"]],
    [for p in local.policies : p["batch-role-arn"]],
  ))))

  # kms:DescribeKey / kms:CreateGrant (StartExportTask): the key of every policy.
  export_key_arns = sort(distinct(concat([aws_kms_key.export.arn], [for p in local.policies : p["kms-key"]])))

  # glue:StartCrawler / glue:GetCrawler with the task role's own credentials: glue_crawler_names and
  # the crawler of every policy without a crawler-role-arn (those are started with the assumed role).
  own_crawler_names = sort(distinct(concat(
    var.glue_crawler_names,
    [for p in local.policies : p["crawler"] if p["crawler"] != null && p["crawler-role-arn"] == null],
  )))

  # Cross-region copies (var.copies): the destination keys of encrypted sources (the regions: copies.tf).
  copy_key_arns = sort(distinct(compact([for c in values(var.copies) : c.destination_kms_key_arn])))
}

data "aws_iam_policy_document" "task" {
  statement {
    sid = "ConsumeQueue"
    actions = [
      "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
      "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
    ]
    resources = [aws_sqs_queue.events.arn, aws_sqs_queue.dlq.arn]
  }

  # The queues are SSE-KMS: receiving decrypts, sending (re-checks, dead letters) generates a data key.
  statement {
    sid       = "QueueEncryption"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.messaging.arn]
  }

  statement {
    sid = "Ledger"
    actions = [
      "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
      "dynamodb:Scan", "dynamodb:DescribeTable",
    ]
    resources = [aws_dynamodb_table.ledger.arn]
  }

  # The console's pipeline pages: a Query of the ledger's pipelines-by-day index.
  statement {
    sid       = "LedgerPipelineIndex"
    actions   = ["dynamodb:Query"]
    resources = ["${aws_dynamodb_table.ledger.arn}/index/pipelines-by-day"]
  }

  # The console's "redrive all": SQS moves the dead letters back itself (StartMessageMoveTask on the
  # dead-letter queue, with the receive, delete and send rights ConsumeQueue already grants).
  statement {
    sid       = "RedriveDeadLetters"
    actions   = ["sqs:StartMessageMoveTask"]
    resources = [aws_sqs_queue.dlq.arn]
  }

  statement {
    sid     = "ExportTasks"
    actions = ["rds:StartExportTask", "rds:DescribeExportTasks"]
    # rds:StartExportTask and rds:DescribeExportTasks support no resource-level permissions
    # (the service authorization reference lists no resource type for them), so "*" is the only scope.
    resources = ["*"]
  }

  statement {
    sid = "Snapshots"
    actions = [
      "rds:DescribeDBSnapshots", "rds:DescribeDBClusterSnapshots",
      "rds:DeleteDBSnapshot", "rds:DeleteDBClusterSnapshot",
    ]
    resources = [
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:snapshot:*",
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:cluster-snapshot:*",
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:db:*",
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:cluster:*",
    ]
  }

  # Scheduled snapshots (snapline.snapshots.*): CreateDB[Cluster]Snapshot with the tags on the create call
  # (which IAM authorises as rds:AddTagsToResource too), and the sources described at each slot.
  statement {
    sid = "ScheduledSnapshots"
    actions = [
      "rds:CreateDBSnapshot", "rds:CreateDBClusterSnapshot", "rds:AddTagsToResource",
      "rds:DescribeDBInstances", "rds:DescribeDBClusters",
    ]
    resources = [
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:snapshot:*",
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:cluster-snapshot:*",
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:db:*",
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:cluster:*",
    ]
  }

  # Cross-region copies (snapline.copies.*, var.copies): CopyDB[Cluster]Snapshot is called in the destination
  # region, reads the source snapshot of this region and writes the copy there, with the tags on the call
  # (authorised as rds:AddTagsToResource too) and, for a DB snapshot with a non-default one, an option group
  # of the destination; the destination retention describes and deletes the copies there.
  dynamic "statement" {
    for_each = length(var.copies) > 0 ? [1] : []
    content {
      sid = "CrossRegionCopies"
      actions = [
        "rds:CopyDBSnapshot", "rds:CopyDBClusterSnapshot", "rds:AddTagsToResource",
        "rds:DescribeDBSnapshots", "rds:DescribeDBClusterSnapshots", "rds:DeleteDBSnapshot", "rds:DeleteDBClusterSnapshot",
      ]
      resources = concat(
        [
          "arn:${local.partition}:rds:${local.region}:${local.account_id}:snapshot:*",
          "arn:${local.partition}:rds:${local.region}:${local.account_id}:cluster-snapshot:*",
        ],
        flatten([for r in local.copy_regions : [
          "arn:${local.partition}:rds:${r}:${local.account_id}:snapshot:*",
          "arn:${local.partition}:rds:${r}:${local.account_id}:cluster-snapshot:*",
          "arn:${local.partition}:rds:${r}:${local.account_id}:og:*",
        ]]),
      )
    }
  }

  # The destination keys of encrypted copies: RDS creates a grant on the key for the copy.
  dynamic "statement" {
    for_each = length(local.copy_key_arns) > 0 ? [1] : []
    content {
      sid       = "CopyKeys"
      actions   = ["kms:DescribeKey", "kms:CreateGrant"]
      resources = local.copy_key_arns
    }
  }

  # Masked clones (issue 12). Reads and creation are account-wide (a restore names its source and a
  # new identifier that has no tags yet); changing and deleting are allowed only on resources that
  # carry the service's clone tag, so the role cannot touch a database the clone pipeline did not make.
  statement {
    sid     = "CloneDescribe"
    actions = ["rds:DescribeDBClusters", "rds:DescribeDBInstances", "rds:ListTagsForResource"]
    # Listing every cluster and instance (the reaper finds clones by their tags) needs "*".
    resources = ["*"]
  }

  statement {
    sid = "CloneCreate"
    actions = [
      "rds:RestoreDBClusterToPointInTime", "rds:RestoreDBInstanceFromDBSnapshot", "rds:CreateDBInstance",
      "rds:AddTagsToResource",
    ]
    resources = [
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:cluster:*",
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:db:*",
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:snapshot:*",
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:subgrp:*",
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:pg:*",
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:cluster-pg:*",
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:og:*",
    ]
  }

  statement {
    sid     = "CloneModifyAndDelete"
    actions = ["rds:ModifyDBInstance", "rds:ModifyDBCluster", "rds:DeleteDBInstance", "rds:DeleteDBCluster"]
    resources = [
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:cluster:*",
      "arn:${local.partition}:rds:${local.region}:${local.account_id}:db:*",
    ]
    condition {
      test     = "Null"
      variable = "aws:ResourceTag/snapline:clone"
      values   = ["false"]
    }
  }

  statement {
    sid     = "CloneCredentials"
    actions = ["secretsmanager:GetSecretValue"]
    resources = concat(
      ["arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret:rds!*"],
      var.clone_credentials_secret_arns,
    )
  }

  statement {
    sid       = "PassExportAndBatchRoles"
    actions   = ["iam:PassRole"]
    resources = local.passed_role_arns
  }

  statement {
    sid       = "ExportKeyGrant"
    actions   = ["kms:DescribeKey", "kms:CreateGrant"]
    resources = local.export_key_arns
  }

  statement {
    sid       = "ExportBucket"
    actions   = ["s3:ListBucket", "s3:GetBucketOwnershipControls"]
    resources = [local.export_bucket_arn]
  }

  statement {
    sid       = "ExportObjects"
    actions   = ["s3:PutObjectAcl", "s3:DeleteObject"]
    resources = ["${local.export_bucket_arn}/${var.export_prefix}/*"]
  }

  statement {
    sid     = "CreateBatchJobs"
    actions = ["s3:CreateJob"]
    # s3:CreateJob supports no resource-level permissions (a job has no ARN before it exists),
    # so "*" is the only scope; iam:PassRole above limits which role a job can run as.
    resources = ["*"]
  }

  statement {
    sid       = "DescribeBatchJobs"
    actions   = ["s3:DescribeJob"]
    resources = ["arn:${local.partition}:s3:${local.region}:${local.account_id}:job/*"]
  }

  dynamic "statement" {
    for_each = length(local.own_crawler_names) > 0 ? [local.own_crawler_names] : []
    content {
      sid     = "Crawlers"
      actions = ["glue:StartCrawler", "glue:GetCrawler"]
      resources = [
        for name in statement.value :
        "arn:${local.partition}:glue:${local.region}:${local.account_id}:crawler/${name}"
      ]
    }
  }

  statement {
    sid       = "Notify"
    actions   = ["sns:Publish"]
    resources = local.notification_topic_arns
  }

  dynamic "statement" {
    for_each = length(local.assumed_role_arns) > 0 ? [local.assumed_role_arns] : []
    content {
      sid       = "AssumeConfiguredRoles"
      actions   = ["sts:AssumeRole"]
      resources = statement.value
    }
  }

  statement {
    sid     = "PublishMetrics"
    actions = ["cloudwatch:PutMetricData"]
    # cloudwatch:PutMetricData supports no resource-level permissions; the condition below limits it
    # to Snapline's own namespace.
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [var.metrics_namespace]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "snapline"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# --- Execution role: pull the image, write the logs, read the secrets --------------------

locals {
  secret_arns = sort(distinct(values(local.container_secrets)))
  # A Secrets Manager valueFrom may name a JSON key and version (<secret arn>:<key>:<stage>:<id>);
  # the IAM resource is the secret's ARN (the first seven fields).
  secretsmanager_arns = sort(distinct([for a in local.secret_arns : join(":", slice(split(":", a), 0, 7)) if split(":", a)[2] == "secretsmanager"]))
  ssm_parameter_arns  = sort(distinct([for a in local.secret_arns : a if split(":", a)[2] == "ssm"]))
}



resource "aws_iam_role" "execution" {
  name               = "${var.name_prefix}-execution"
  description        = "ECS agent for Snapline: pulls the image and writes the container log"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
  tags               = var.tags
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.service.arn}:*"]
  }

  dynamic "statement" {
    for_each = length(var.ecr_repository_arns) > 0 ? [1] : []
    content {
      sid     = "EcrLogin"
      actions = ["ecr:GetAuthorizationToken"]
      # ecr:GetAuthorizationToken is account-wide and supports no resource-level permissions.
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = length(var.ecr_repository_arns) > 0 ? [1] : []
    content {
      sid       = "PullImage"
      actions   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
      resources = var.ecr_repository_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.secretsmanager_arns) > 0 ? [local.secretsmanager_arns] : []
    content {
      sid       = "ReadSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = statement.value
    }
  }

  dynamic "statement" {
    for_each = length(local.ssm_parameter_arns) > 0 ? [local.ssm_parameter_arns] : []
    content {
      sid       = "ReadParameters"
      actions   = ["ssm:GetParameters"]
      resources = statement.value
    }
  }

  dynamic "statement" {
    for_each = length(var.secrets_kms_key_arns) > 0 ? [var.secrets_kms_key_arns] : []
    content {
      sid       = "DecryptSecrets"
      actions   = ["kms:Decrypt"]
      resources = statement.value
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}
