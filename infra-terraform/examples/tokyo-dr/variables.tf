variable "region" {
  type        = string
  description = "AWS Region of the databases and the service: Tokyo in the issue's case."
  default     = "ap-northeast-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS Region name such as ap-northeast-1."
  }
}

variable "dr_region" {
  type        = string
  description = "The destination Region of the copies (provider aws.dr)."
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.dr_region))
    error_message = "dr_region must be an AWS Region name such as us-east-1."
  }
}

variable "dr_kms_key_arn" {
  type        = string
  description = "The KMS key in dr_region the copies are encrypted with; required when the databases are encrypted (keys are Region-bound). Its key policy must let Snapline's task role (output task_role_arn) use it for the copy: see docs/deployment.md, Cross-region copies."
  default     = null
}

variable "copies_enabled" {
  type        = bool
  description = "Copy the snapshots to dr_region. false: no copy policy, and nothing at all is created in dr_region."
  default     = true
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name, in both Regions."
  default     = "snapline"
}

variable "bucket_name" {
  type        = string
  description = "The S3 bucket, in region, that exports would go to (the source-account module requires one; this example configures no export policy, so nothing is written there)."
}

variable "db_identifiers" {
  type        = list(string)
  description = "DB instance identifiers (globs with * and ? allowed) snapshotted at 02:00 and 14:00 Tokyo time and copied to dr_region."

  validation {
    condition     = length(var.db_identifiers) > 0
    error_message = "db_identifiers must name at least one DB instance."
  }
}

variable "container_image" {
  type        = string
  description = "The Snapline image (built from the repository's Dockerfile and pushed to ECR)."
}

variable "ecr_repository_arns" {
  type        = list(string)
  description = "ECR repositories the image comes from."
  default     = []
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets for the Fargate tasks (with a NAT gateway or VPC endpoints)."
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups for the tasks (outbound HTTPS only)."
}

variable "alarm_email_addresses" {
  type        = list(string)
  description = "Email addresses subscribed to the alarm topic (each must confirm)."
  default     = []
}

variable "dry_run" {
  type        = bool
  description = "Start Snapline in dry-run mode: it logs the AWS requests it would make and changes nothing."
  default     = true
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource."
  default     = { application = "snapline" }
}
