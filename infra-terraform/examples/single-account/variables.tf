variable "region" {
  type        = string
  description = "AWS Region of the databases, the bucket and the service (exports need the bucket in the snapshots' Region)."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS Region name such as eu-west-1."
  }
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name."
  default     = "snapline"
}

variable "bucket_name" {
  type        = string
  description = "Name of the export bucket to create."
}

variable "export_prefix" {
  type        = string
  description = "Key prefix of the exports in the bucket."
  default     = "exports"
}

variable "acl_mode" {
  type        = string
  description = "How exported objects come to belong to the bucket owner: none (BucketOwnerEnforced, nothing to rewrite), auto, per-object or batch (BucketOwnerPreferred; Snapline grants bucket-owner-full-control)."
  default     = "none"

  validation {
    condition     = contains(["none", "auto", "per-object", "batch"], var.acl_mode)
    error_message = "acl_mode must be one of: none, auto, per-object, batch."
  }
}

variable "db_identifiers" {
  type        = list(string)
  description = "DB instance and Aurora cluster identifiers (globs with * and ? allowed) whose snapshots Snapline exports."

  validation {
    condition     = length(var.db_identifiers) > 0
    error_message = "db_identifiers must name at least one DB instance or cluster."
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

variable "cpu_architecture" {
  type        = string
  description = "CPU architecture of the Fargate task, X86_64 or ARM64 (Graviton); build and push the image for the matching platform (output container_platform)."
  default     = "X86_64"
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
