variable "region" {
  type        = string
  description = "AWS Region of the databases and the export bucket (RDS exports need both in one Region)."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS Region name such as eu-west-1."
  }
}

variable "source_profile" {
  type        = string
  description = "AWS CLI profile for the source (production) account; null uses the default credential chain."
  default     = null
}

variable "analytics_profile" {
  type        = string
  description = "AWS CLI profile for the analytics account."
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name, in both accounts."
  default     = "snapline"
}

variable "bucket_name" {
  type        = string
  description = "Name of the export bucket to create in the analytics account."
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

variable "external_id" {
  type        = string
  description = "The external id Snapline presents when assuming the analytics role: a random string (openssl rand -hex 16), at least 16 characters. Stored in Secrets Manager for the container; give it with TF_VAR_external_id rather than in a file. The placeholder of terraform.tfvars.example is refused."
  sensitive   = true

  validation {
    condition     = length(regexall("^[A-Za-z0-9+=,.@:/-]+$", var.external_id)) == 1 && length(var.external_id) >= 16 && length(var.external_id) <= 1224
    error_message = "external_id must be 16-1224 characters of letters, digits and + = , . @ : / -."
  }

  validation {
    condition     = !can(regex("(?i)(replace|example|changeme|placeholder|openssl)", var.external_id))
    error_message = "external_id is still the placeholder of terraform.tfvars.example: generate one (openssl rand -hex 16)."
  }
}

variable "export_readers" {
  type        = list(string)
  description = "More analytics-account principals (Athena users, ETL roles) that may decrypt the exports."
  default     = []
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
  description = "The Snapline image (built from the repository's Dockerfile and pushed to the source account's ECR)."
}

variable "ecr_repository_arns" {
  type        = list(string)
  description = "ECR repositories the image comes from."
  default     = []
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets of the source account for the Fargate tasks."
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
  description = "Tags for every resource in both accounts."
  default     = { application = "snapline" }
}
