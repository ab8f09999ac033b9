variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name (roles, crawler, database). Lower case letters, digits and hyphens."
  default     = "snapline"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-32 characters: lower case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource that takes tags."
  default     = {}
}

variable "bucket_name" {
  type        = string
  description = "Name of the export bucket to create. It must be in the same Region as the source account's snapshots."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name (3-63 characters, lower case letters, digits, dots and hyphens)."
  }
}

variable "export_prefix" {
  type        = string
  description = "Key prefix the exports are written under (same value as the source-account module's export_prefix)."
  default     = "exports"

  validation {
    condition     = length(var.export_prefix) > 0 && !can(regex("[:\\s\"`\\\\]", var.export_prefix)) && !startswith(var.export_prefix, "/") && !endswith(var.export_prefix, "/")
    error_message = "export_prefix must be non-empty, contain no ':', whitespace, quotes, backticks or backslashes, and not start or end with '/'."
  }
}

variable "acl_mode" {
  type        = string
  description = "The acl-mode of the export policies writing here, which decides Object Ownership: \"none\" gives BucketOwnerEnforced (ACLs disabled, the bucket owner owns every object at once; Snapline has nothing to rewrite); \"auto\", \"per-object\" or \"batch\" give BucketOwnerPreferred (Snapline grants bucket-owner-full-control after each export, per object or with an S3 Batch Operations job)."
  default     = "none"

  validation {
    condition     = contains(["none", "auto", "per-object", "batch"], var.acl_mode)
    error_message = "acl_mode must be one of: none, auto, per-object, batch."
  }
}

variable "export_expiration_days" {
  type        = number
  description = "Lifecycle: exported objects under export_prefix expire after this many days; 0 keeps them."
  default     = 365

  validation {
    condition     = var.export_expiration_days >= 0
    error_message = "export_expiration_days must be 0 (keep) or a positive number of days."
  }
}

variable "source_account_id" {
  type        = string
  description = "The account that owns the databases and runs Snapline (the same account in a single-account deployment)."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.source_account_id))
    error_message = "source_account_id must be a 12-digit AWS account id."
  }
}

variable "export_role_arn" {
  type        = string
  description = "The source account's RDS export role (source-account module output export_role_arn); the bucket policy lets it write exports."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.export_role_arn))
    error_message = "export_role_arn must be an IAM role ARN."
  }
}

variable "snapline_task_role_arn" {
  type        = string
  description = "Snapline's task role in the source account (source-account module output task_role_arn); the bucket policy lets it list, read, rewrite ACLs and delete, and the cross-account role trusts it."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.snapline_task_role_arn))
    error_message = "snapline_task_role_arn must be an IAM role ARN."
  }
}

variable "batch_operations_role_arn" {
  type        = string
  description = "The source account's S3 Batch Operations role (source-account module output batch_operations_role_arn); the bucket policy lets it rewrite ACLs and write its report. Null when acl_mode is none or per-object."
  default     = null

  validation {
    condition     = var.batch_operations_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.batch_operations_role_arn))
    error_message = "batch_operations_role_arn must be an IAM role ARN or null."
  }
}

variable "export_kms_key_arn" {
  type        = string
  description = "The source account's export KMS key (source-account module output export_kms_key_arn); the crawler role needs kms:Decrypt on it to read the Parquet files."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.export_kms_key_arn))
    error_message = "export_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "create_cross_account_role" {
  type        = bool
  description = "Create the role Snapline assumes to start and read the crawler here. Set false in a single-account deployment, where the task role is granted the crawler directly."
  default     = true
}

variable "external_id" {
  type        = string
  description = "The sts:ExternalId Snapline must present when assuming the cross-account role; share it with the source account's Snapline configuration. Required when create_cross_account_role is true."
  default     = null
  sensitive   = true

  validation {
    condition     = var.external_id == null ? true : (length(regexall("^[A-Za-z0-9+=,.@:/-]+$", var.external_id)) == 1 && length(var.external_id) >= 16 && length(var.external_id) <= 1224)
    error_message = "external_id must be 16-1224 characters of letters, digits and + = , . @ : / - (e.g. openssl rand -hex 16)."
  }

  validation {
    condition     = var.external_id == null ? true : !can(regex("(?i)(replace|example|changeme|placeholder|openssl)", var.external_id))
    error_message = "external_id is still the documented placeholder: generate one (openssl rand -hex 16) and keep it out of the repository."
  }
}

variable "glue_database_name" {
  type        = string
  description = "Name of the Glue database the crawler writes tables to; defaults to <name_prefix> with hyphens as underscores."
  default     = null
}

variable "crawler_table_level" {
  type        = number
  description = "Glue TableLevelConfiguration: the folder depth of a table root, the bucket's top folder being 1. Defaults to the depth of <export_prefix>/<task id>/<database>/<schema.table>; raise it by the number of folders a templated policy prefix adds (e.g. +4 for <export_prefix>/{source}/{date})."
  default     = null

  validation {
    condition     = var.crawler_table_level == null ? true : var.crawler_table_level >= 1
    error_message = "crawler_table_level must be 1 or more, or null for the default."
  }
}

variable "crawler_schedule" {
  type        = string
  description = "Optional cron schedule for the crawler, in Glue's cron(...) form; null leaves it on demand (Snapline starts it after each export)."
  default     = null

  validation {
    condition     = var.crawler_schedule == null || can(regex("^cron\\(.+\\)$", var.crawler_schedule))
    error_message = "crawler_schedule must be a cron(...) expression or null."
  }
}

variable "crawler_delete_behavior" {
  type        = string
  description = "What the crawler does with tables and partitions whose objects are gone (Glue schema change policy DeleteBehavior). DELETE_FROM_DATABASE (the default) removes them, so exports Snapline prunes leave the catalog as README and docs/pruning.md promise; DEPRECATE_IN_DATABASE keeps them marked deprecated; LOG only logs."
  default     = "DELETE_FROM_DATABASE"

  validation {
    condition     = contains(["DELETE_FROM_DATABASE", "DEPRECATE_IN_DATABASE", "LOG"], var.crawler_delete_behavior)
    error_message = "crawler_delete_behavior must be DELETE_FROM_DATABASE, DEPRECATE_IN_DATABASE or LOG."
  }
}
