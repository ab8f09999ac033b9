variable "name_prefix" {
  type        = string
  description = "The source-account module's name_prefix: the topic is named <name_prefix>-rds-events, as in the main Region, and the queue policy admits exactly that name."
  default     = "snapline"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-32 characters: lower case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "queue_arn" {
  type        = string
  description = "The queue Snapline consumes, in the main Region (source-account module output queue_arn); this Region's RDS events are delivered there."

  validation {
    condition     = can(regex("^arn:[a-z-]+:sqs:[a-z0-9-]+:[0-9]{12}:.+$", var.queue_arn))
    error_message = "queue_arn must be an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)."
  }
}

variable "accepted_topic_arns" {
  type        = list(string)
  description = "The topic ARNs the queue's policy admits (source-account module output copy_event_topic_arns). This Region's topic must be among them: the plan fails otherwise, instead of a subscription whose deliveries the queue refuses."
}

variable "kms_key_arn" {
  type        = string
  description = "An existing customer managed KMS key in this Region for the topic; its policy must let events.rds.amazonaws.com use kms:GenerateDataKey and kms:Decrypt. null creates one (alias/<name_prefix>-copy-events). An AWS managed key (alias/aws/sns) cannot be used: RDS could not publish."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or null."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource that takes tags."
  default     = {}
}
