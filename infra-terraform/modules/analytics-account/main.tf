# The analytics side: the export bucket, the Glue catalog and crawler over it, and the role
# Snapline assumes from the source account to drive the crawler.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  # .id, not .name: the region name under both provider majors (.name is deprecated in 6.x).
  region    = data.aws_region.current.id
  partition = data.aws_partition.current.partition

  bucket_arn         = aws_s3_bucket.exports.arn
  exports_arn        = "${aws_s3_bucket.exports.arn}/${var.export_prefix}/*"
  glue_database_name = coalesce(var.glue_database_name, replace(var.name_prefix, "-", "_"))
  crawler_name       = "${var.name_prefix}-exports"

  # <export_prefix>/<task id>/<database>/<schema.table>/: the table root is three folders below the prefix.
  table_level = coalesce(var.crawler_table_level, length(split("/", var.export_prefix)) + 3)

  # ACLs are only kept where Snapline rewrites them; otherwise the bucket owner owns everything.
  object_ownership = var.acl_mode == "none" ? "BucketOwnerEnforced" : "BucketOwnerPreferred"

  writers = compact([var.export_role_arn, var.batch_operations_role_arn])
}

# --- Export bucket ------------------------------------------------------------------------

resource "aws_s3_bucket" "exports" {
  bucket = var.bucket_name
  tags   = var.tags
}

resource "aws_s3_bucket_public_access_block" "exports" {
  bucket                  = aws_s3_bucket.exports.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "exports" {
  bucket = aws_s3_bucket.exports.id
  rule {
    object_ownership = local.object_ownership
  }
}

# Objects RDS writes are SSE-KMS with the export key; this default covers everything else
# (Batch Operations reports, manifests).
resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
  bucket = aws_s3_bucket.exports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "exports" {
  bucket = aws_s3_bucket.exports.id

  rule {
    id     = "exports"
    status = "Enabled"
    filter {
      prefix = "${var.export_prefix}/"
    }

    dynamic "expiration" {
      for_each = var.export_expiration_days > 0 ? [var.export_expiration_days] : []
      content {
        days = expiration.value
      }
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid    = "TlsOnly"
    effect = "Deny"
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    # Partial wildcard: deny every S3 action over plain HTTP, whatever new actions S3 adds.
    actions   = ["s3:*"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid    = "RdsExportWrites"
    effect = "Allow"
    principals {
      type        = "AWS"
      identifiers = local.writers
    }
    # Partial wildcards as the RDS user guide lists them for the export role (and the Batch
    # Operations role, which rewrites ACLs and writes its report under the same prefix).
    actions   = ["s3:PutObject*", "s3:GetObject*", "s3:DeleteObject*"]
    resources = [local.exports_arn]
  }

  statement {
    sid    = "RdsExportLists"
    effect = "Allow"
    principals {
      type        = "AWS"
      identifiers = local.writers
    }
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [local.bucket_arn]
  }

  statement {
    sid    = "SnaplineReadsBucket"
    effect = "Allow"
    principals {
      type        = "AWS"
      identifiers = [var.snapline_task_role_arn]
    }
    actions   = ["s3:ListBucket", "s3:GetBucketOwnershipControls"]
    resources = [local.bucket_arn]
  }

  statement {
    sid    = "SnaplineManagesExports"
    effect = "Allow"
    principals {
      type        = "AWS"
      identifiers = [var.snapline_task_role_arn]
    }
    actions   = ["s3:PutObjectAcl", "s3:DeleteObject"]
    resources = [local.exports_arn]
  }
}

resource "aws_s3_bucket_policy" "exports" {
  bucket = aws_s3_bucket.exports.id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.exports]
}

# --- Glue ---------------------------------------------------------------------------------

resource "aws_glue_catalog_database" "exports" {
  name        = local.glue_database_name
  description = "Tables of RDS snapshot exports under s3://${var.bucket_name}/${var.export_prefix}/"
}

data "aws_iam_policy_document" "glue_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "crawler" {
  name               = "${var.name_prefix}-glue-crawler"
  description        = "Glue crawler over the Snapline export bucket"
  assume_role_policy = data.aws_iam_policy_document.glue_trust.json
  tags               = var.tags
}

data "aws_iam_policy_document" "crawler" {
  statement {
    sid       = "ReadExports"
    actions   = ["s3:GetObject"]
    resources = [local.exports_arn]
  }

  statement {
    sid       = "ListExports"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
  }

  statement {
    sid       = "DecryptExports"
    actions   = ["kms:Decrypt"]
    resources = [var.export_kms_key_arn]
  }

  statement {
    sid = "Catalog"
    actions = [
      "glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateTable", "glue:UpdateTable",
      "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition", "glue:CreatePartition",
      "glue:BatchCreatePartition", "glue:UpdatePartition", "glue:BatchUpdatePartition",
    ]
    resources = [
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:catalog",
      aws_glue_catalog_database.exports.arn,
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:table/${local.glue_database_name}/*",
    ]
  }

  statement {
    sid       = "CrawlerLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/crawlers:*"]
  }
}

resource "aws_iam_role_policy" "crawler" {
  name   = "crawler"
  role   = aws_iam_role.crawler.id
  policy = data.aws_iam_policy_document.crawler.json
}

resource "aws_glue_crawler" "exports" {
  name          = local.crawler_name
  database_name = aws_glue_catalog_database.exports.name
  role          = aws_iam_role.crawler.arn
  schedule      = var.crawler_schedule
  description   = "Catalogs the Parquet tables of Snapline's RDS exports"

  s3_target {
    path = "s3://${aws_s3_bucket.exports.bucket}/${var.export_prefix}/"
    # The export's own JSON metadata and marker files are not data.
    exclusions = [
      "**/export_info_*.json",
      "**/export_tables_info_*.json",
      "**/_SUCCESS",
    ]
  }

  # DELETE_FROM_DATABASE: when Snapline prunes an export, the crawler's next run removes the tables
  # and partitions whose files are gone, so pruned exports leave the catalog (docs/pruning.md).
  # DEPRECATE_IN_DATABASE would leave them in place, marked deprecated, for Athena to query empty.
  schema_change_policy {
    update_behavior = "UPDATE_IN_DATABASE"
    delete_behavior = var.crawler_delete_behavior
  }

  recrawl_policy {
    recrawl_behavior = "CRAWL_EVERYTHING"
  }

  configuration = jsonencode({
    Version = 1.0
    Grouping = {
      TableGroupingPolicy     = "CombineCompatibleSchemas"
      TableLevelConfiguration = local.table_level
    }
    CrawlerOutput = {
      Partitions = { AddOrUpdateBehavior = "InheritFromTable" }
      Tables     = { AddOrUpdateBehavior = "MergeNewColumns" }
    }
  })

  tags = var.tags
}

# --- The role Snapline assumes from the source account ------------------------------------

data "aws_iam_policy_document" "cross_account_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [var.snapline_task_role_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [coalesce(var.external_id, "unset")]
    }
  }
}

resource "aws_iam_role" "cross_account" {
  count                = var.create_cross_account_role ? 1 : 0
  name                 = "${var.name_prefix}-cross-account"
  description          = "Assumed by Snapline in account ${var.source_account_id} to drive the export crawler"
  assume_role_policy   = data.aws_iam_policy_document.cross_account_trust.json
  max_session_duration = 3600
  tags                 = var.tags

  lifecycle {
    precondition {
      condition     = var.external_id != null
      error_message = "external_id is required when create_cross_account_role is true."
    }
  }
}

# Snapline uses this role only to start and read the crawler (crawler-role-arn): its S3 calls on the
# bucket run as the task role (bucket policy above) or the policy's source-role-arn.
data "aws_iam_policy_document" "cross_account" {
  statement {
    sid       = "Crawler"
    actions   = ["glue:StartCrawler", "glue:GetCrawler"]
    resources = [aws_glue_crawler.exports.arn]
  }
}

resource "aws_iam_role_policy" "cross_account" {
  count  = var.create_cross_account_role ? 1 : 0
  name   = "snapline"
  role   = aws_iam_role.cross_account[0].id
  policy = data.aws_iam_policy_document.cross_account.json
}
