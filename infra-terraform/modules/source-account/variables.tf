variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name (queue, topic, table, roles, ECS service). Lower case letters, digits and hyphens."
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

# --- Where the exports go -----------------------------------------------------------------

variable "export_bucket_name" {
  type        = string
  description = "The S3 bucket RDS exports snapshots to (in this account, or in the analytics account for a cross-account deployment). It must be in the same Region as the snapshots."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.export_bucket_name))
    error_message = "export_bucket_name must be a valid S3 bucket name (3-63 characters, lower case letters, digits, dots and hyphens)."
  }
}

variable "export_prefix" {
  type        = string
  description = "Key prefix under which exports are written (without leading or trailing slash). RDS forbids ':' in the prefix."
  default     = "exports"

  validation {
    condition     = !can(regex("[:\\s\"`\\\\]", var.export_prefix)) && !startswith(var.export_prefix, "/") && !endswith(var.export_prefix, "/")
    error_message = "export_prefix must not contain ':', whitespace, quotes, backticks or backslashes, and must not start or end with '/'."
  }
}

variable "glue_crawler_names" {
  type        = list(string)
  description = "More Glue crawlers in this account that Snapline starts with its own credentials. The crawler of every export policy without a crawler_role_arn is granted anyway; crawlers in another account are reached through the policy's crawler_role_arn."
  default     = []
}

variable "cross_account_role_arn" {
  type        = string
  description = "One more role Snapline may assume (sts:AssumeRole), beyond the source_role_arn and crawler_role_arn of every export policy, which are granted anyway (e.g. a role named only in extra_environment); null for none."
  default     = null

  validation {
    condition     = var.cross_account_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.cross_account_role_arn))
    error_message = "cross_account_role_arn must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>) or null."
  }
}

variable "export_key_user_arns" {
  type        = list(string)
  description = "Principals outside this account that may decrypt exported objects with the export KMS key (for example the analytics account's Glue crawler role and Athena users)."
  default     = []
}

# --- Schedules ----------------------------------------------------------------------------

variable "prune_schedule_expression" {
  type        = string
  description = "EventBridge schedule that sends {\"command\":\"prune\"} to the queue; null disables it."
  default     = "rate(1 day)"

  validation {
    condition     = var.prune_schedule_expression == null || can(regex("^(rate|cron)\\(.+\\)$", var.prune_schedule_expression))
    error_message = "prune_schedule_expression must be a rate(...) or cron(...) expression, or null."
  }
}

variable "reconcile_schedule_expression" {
  type        = string
  description = "EventBridge schedule that sends {\"command\":\"reconcile\"} to the queue (picks up events lost in delivery); null disables it."
  default     = "rate(6 hours)"

  validation {
    condition     = var.reconcile_schedule_expression == null || can(regex("^(rate|cron)\\(.+\\)$", var.reconcile_schedule_expression))
    error_message = "reconcile_schedule_expression must be a rate(...) or cron(...) expression, or null."
  }
}

variable "reap_schedule_expression" {
  type        = string
  description = "EventBridge schedule that sends {\"command\":\"reap\"} to the queue: deletes expired, failed and stale clones and warns requesters before expiry; null disables it."
  default     = "rate(15 minutes)"

  validation {
    condition     = var.reap_schedule_expression == null || can(regex("^(rate|cron)\\(.+\\)$", var.reap_schedule_expression))
    error_message = "reap_schedule_expression must be a rate(...) or cron(...) expression, or null."
  }
}

# --- Clones -------------------------------------------------------------------------------

variable "slack_signing_secret_arn" {
  type        = string
  description = "Secrets Manager secret holding the Slack app's signing secret (plain string) for POST /slack/commands; passed to the container as the ECS secret SNAPLINE_SLACK_SIGNING_SECRET. null: the Slack route refuses every request."
  default     = null

  validation {
    condition     = var.slack_signing_secret_arn == null || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.slack_signing_secret_arn))
    error_message = "slack_signing_secret_arn must be a Secrets Manager secret ARN, or null."
  }
}

variable "clone_credentials_secret_arns" {
  type        = list(string)
  description = "Secrets Manager secrets the clone policies name as credentials-secret; the task role may read these and RDS-managed master secrets (rds!...) only."
  default     = []
}

variable "clone_vpc_id" {
  type        = string
  description = "VPC of the databases that are cloned. Set, the module creates the security group clones get while they are masked (output clone_masking_security_group_id, a policy's masking-security-groups): it admits only the service's security groups, on clone_database_ports."
  default     = null
}

variable "clone_database_ports" {
  type        = list(number)
  description = "Database ports the service reaches clones on (PostgreSQL 5432, MySQL 3306)."
  default     = [5432, 3306]
}

# --- Queue and ledger ---------------------------------------------------------------------

variable "visibility_timeout_seconds" {
  type        = number
  description = "The queue's visibility timeout; Snapline's ledger leases and heartbeat follow it (passed as SNAPLINE_QUEUE_VISIBILITY_TIMEOUT)."
  default     = 300

  validation {
    condition     = var.visibility_timeout_seconds >= 30 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 30 and 43200 (12 hours)."
  }
}

variable "max_receive_count" {
  type        = number
  description = "Receives before a message moves to the dead-letter queue. Snapline re-checks slow work with delayed re-sends, not re-receives, so a small number is enough."
  default     = 8

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "dlq_retention_seconds" {
  type        = number
  description = "How long dead-lettered messages are kept (at most 14 days)."
  default     = 1209600

  validation {
    condition     = var.dlq_retention_seconds >= 60 && var.dlq_retention_seconds <= 1209600
    error_message = "dlq_retention_seconds must be between 60 and 1209600 (14 days)."
  }
}

variable "ledger_table_name" {
  type        = string
  description = "Name of the DynamoDB ledger table; defaults to <name_prefix>-ledger."
  default     = null
}

# --- ECS service --------------------------------------------------------------------------

variable "container_image" {
  type        = string
  description = "The Snapline image built from the repository's Dockerfile, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/snapline:0.1.0."

  validation {
    condition     = length(trimspace(var.container_image)) > 0
    error_message = "container_image must name an image."
  }
}

variable "ecr_repository_arns" {
  type        = list(string)
  description = "ECR repositories the image is pulled from (the execution role gets pull rights on these only). Empty for a public image."
  default     = []
}

variable "ecs_cluster_arn" {
  type        = string
  description = "An existing ECS cluster to run in; null creates one named <name_prefix>."
  default     = null
}

variable "subnet_ids" {
  type        = list(string)
  description = "Subnets of the Fargate tasks. They need a route to the AWS APIs (NAT gateway or VPC endpoints for SQS, DynamoDB, RDS, S3, S3 Control, Glue, SNS, STS, ECR, CloudWatch Logs)."

  validation {
    condition     = length(var.subnet_ids) > 0
    error_message = "subnet_ids must name at least one subnet."
  }
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the Fargate tasks. Snapline needs outbound HTTPS only; nothing calls in."

  validation {
    condition     = length(var.security_group_ids) > 0
    error_message = "security_group_ids must name at least one security group."
  }
}

variable "assign_public_ip" {
  type        = bool
  description = "Give the tasks a public IP (only for public subnets without a NAT gateway)."
  default     = false
}

variable "task_cpu" {
  type        = number
  description = "Fargate task CPU units."
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.task_cpu)
    error_message = "task_cpu must be one of 256, 512, 1024, 2048, 4096."
  }
}

variable "task_memory" {
  type        = number
  description = "Fargate task memory (MiB); must suit task_cpu."
  default     = 1024

  validation {
    condition     = var.task_memory >= 512 && var.task_memory <= 30720
    error_message = "task_memory must be between 512 and 30720 MiB."
  }
}

variable "cpu_architecture" {
  type        = string
  description = "CPU architecture of the Fargate task: X86_64, or ARM64 (Graviton, about 20% cheaper per vCPU-hour). The image must be built for it: docker buildx build --platform linux/amd64 (X86_64) or linux/arm64 (ARM64); the output container_platform names the one to use."
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "min_capacity" {
  type        = number
  description = "Fewest running tasks. At least 1: target tracking scales relative to the running count and cannot start from zero, and someone must poll the queue."
  default     = 1

  validation {
    condition     = var.min_capacity >= 1
    error_message = "min_capacity must be at least 1."
  }
}

variable "max_capacity" {
  type        = number
  description = "Most running tasks when the queue backs up."
  default     = 4

  validation {
    condition     = var.max_capacity >= 1
    error_message = "max_capacity must be at least 1."
  }
}

variable "scaling_queue_depth_target" {
  type        = number
  description = "Target tracking value: visible messages in the queue the service scales to hold."
  default     = 100

  validation {
    condition     = var.scaling_queue_depth_target > 0
    error_message = "scaling_queue_depth_target must be positive."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the service's CloudWatch log group."
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "dry_run" {
  type        = bool
  description = "Run Snapline in dry-run mode (SNAPLINE_DRY_RUN): it logs every AWS request that would change something and changes nothing."
  default     = false
}

variable "export_policies" {
  type = map(object({
    sources                        = list(string)
    kinds                          = optional(list(string), [])
    bucket                         = optional(string)
    prefix                         = optional(string)
    kms_key                        = optional(string)
    export_role_arn                = optional(string)
    export_only                    = optional(list(string), [])
    crawler                        = optional(string)
    crawler_role_arn               = optional(string)
    crawler_external_id_secret_arn = optional(string)
    acl_mode                       = optional(string, "auto")
    acl_batch_threshold            = optional(number)
    batch_role_arn                 = optional(string)
    notification_topic             = optional(string)
    webhook_url_secret_arn         = optional(string)
    source_role_arn                = optional(string)
    source_external_id_secret_arn  = optional(string)
    bucket_owner_account           = optional(string)
    # Refused (see the validation below): secrets are never written into the task definition.
    crawler_external_id = optional(string)
    source_external_id  = optional(string)
    webhook_url         = optional(string)
  }))
  description = "Snapline's export policies (snapline.exports.<name>.*), passed to the container as MICRONAUT_APPLICATION_JSON. Attributes are the configuration keys with '_' for '-'. Defaults from this module: bucket = export_bucket_name, prefix = export_prefix, kms_key = the export key, export_role_arn = the export role, batch_role_arn = the Batch Operations role, notification_topic = the notifications topic. Secrets (crawler-external-id, source-external-id, webhook-url) are given as the ARN of a Secrets Manager secret or an SSM SecureString parameter (*_secret_arn): ECS injects them as container secrets and the JSON refers to them by placeholder. The task role is granted exactly what these policies need: sts:AssumeRole on every source_role_arn and crawler_role_arn, sns:Publish on every notification_topic, iam:PassRole on every export and Batch Operations role, kms:CreateGrant on every kms_key, Glue on every crawler started without a role."
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.export_policies) : can(regex("^[a-z][a-z0-9-]*$", name))])
    error_message = "export_policies names must be lower case letters, digits and hyphens, starting with a letter."
  }

  validation {
    condition     = alltrue([for p in values(var.export_policies) : length(p.sources) > 0])
    error_message = "every export policy needs at least one entry in sources (DB instance or cluster identifiers, globs allowed)."
  }

  validation {
    condition     = alltrue([for p in values(var.export_policies) : contains(["auto", "none", "per-object", "batch"], p.acl_mode)])
    error_message = "export_policies acl_mode must be one of: auto, none, per-object, batch."
  }

  validation {
    condition     = alltrue([for p in values(var.export_policies) : p.crawler_external_id == null && p.source_external_id == null && p.webhook_url == null])
    error_message = "export_policies: crawler_external_id, source_external_id and webhook_url would be written into the task definition in plain text. Put the value in Secrets Manager (or an SSM SecureString parameter) and give its ARN as crawler_external_id_secret_arn, source_external_id_secret_arn or webhook_url_secret_arn."
  }

  validation {
    condition = alltrue(flatten([for p in values(var.export_policies) : [
      for arn in [p.crawler_external_id_secret_arn, p.source_external_id_secret_arn, p.webhook_url_secret_arn] :
      arn == null || can(regex("^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+|ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+)$", arn))
    ]]))
    error_message = "export_policies *_secret_arn must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>) or an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)."
  }

  validation {
    condition     = alltrue([for p in values(var.export_policies) : p.kms_key == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", p.kms_key))])
    error_message = "export_policies kms_key must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>): the task role is granted kms:DescribeKey and kms:CreateGrant on exactly that ARN, which IAM cannot match against an alias."
  }
}

variable "container_secrets" {
  type        = map(string)
  description = "More secrets for the container: environment variable name => ARN of a Secrets Manager secret (optionally with its :json-key:: suffix) or SSM parameter. ECS injects each at start; the execution role may read exactly these (and those of export_policies). Refer to one from configuration with a Micronaut placeholder, e.g. \"$${MY_SECRET}\"."
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.container_secrets) : can(regex("^[A-Z_][A-Z0-9_]*$", k))])
    error_message = "container_secrets keys must be environment variable names: upper case letters, digits and underscores."
  }

  validation {
    condition     = alltrue([for v in values(var.container_secrets) : can(regex("^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+|ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+)$", v))])
    error_message = "container_secrets values must be Secrets Manager secret ARNs or SSM parameter ARNs."
  }
}

variable "console_token_secret_arn" {
  type        = string
  description = "ARN of the Secrets Manager secret (or SSM SecureString parameter) holding the operator console's token (snapline.console.token, at least 24 printable ASCII characters, e.g. openssl rand -hex 32). ECS injects it as SNAPLINE_CONSOLE_TOKEN. Null leaves the console read-only: every action (redrive, discard, dry-run now) is refused and the page says so."
  default     = null

  validation {
    condition     = var.console_token_secret_arn == null || can(regex("^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+|ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+)$", var.console_token_secret_arn))
    error_message = "console_token_secret_arn must be a Secrets Manager secret ARN or an SSM parameter ARN."
  }
}

variable "secrets_kms_key_arns" {
  type        = list(string)
  description = "Customer managed KMS keys the secrets are encrypted with; the execution role gets kms:Decrypt on them. Empty when the secrets use the AWS managed keys (aws/secretsmanager, aws/ssm), which need no grant."
  default     = []
}

variable "extra_environment" {
  type        = map(string)
  description = "More container environment variables, merged over the module's own (e.g. SNAPLINE_QUEUE_MAX_IN_FLIGHT). Give export policies through export_policies: environment variable names are ambiguous for map-shaped keys like snapline.exports.<name>.kms-key. Names must be upper case."
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.extra_environment) : can(regex("^[A-Z_][A-Z0-9_]*$", k))])
    error_message = "extra_environment keys must be environment variable names: upper case letters, digits and underscores."
  }
}

# --- Monitoring ---------------------------------------------------------------------------

variable "metrics_namespace" {
  type        = string
  description = "CloudWatch namespace Snapline publishes its own metrics to (Micrometer's CloudWatch registry, every minute); the task role may put metric data into this namespace only."
  default     = "Snapline"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1-255 characters of letters, digits and . _ / # : - and must not start with AWS/."
  }
}

variable "alarm_topic_arn" {
  type        = string
  description = "An existing SNS topic the CloudWatch alarms notify; null creates <name_prefix>-alarms (output alarm_topic_arn)."
  default     = null
}

variable "alarm_email_addresses" {
  type        = list(string)
  description = "Email addresses subscribed to the alarm topic the module creates (each must confirm the subscription)."
  default     = []
}

variable "alarm_oldest_message_age_seconds" {
  type        = number
  description = "Alarm when the oldest message in the queue is older than this: the service is not keeping up, or not consuming at all."
  default     = 1800

  validation {
    condition     = var.alarm_oldest_message_age_seconds >= 60
    error_message = "alarm_oldest_message_age_seconds must be at least 60."
  }
}

variable "create_dashboard" {
  type        = bool
  description = "Create the CloudWatch dashboard <name_prefix> (queue depth, in-flight work, handler latency, outcomes, exports, prune deletions)."
  default     = true
}

variable "snapshot_schedules" {
  type = map(object({
    sources            = list(string)
    scope              = optional(string, "both")
    schedule           = string
    time_zone          = optional(string, "UTC")
    name_prefix        = string
    catch_up_window    = optional(string, "6h")
    notification_topic = optional(string)
  }))
  description = "Snapline's snapshot schedules (snapline.snapshots.<name>.*), passed to the container with the export policies in MICRONAUT_APPLICATION_JSON; attributes are the configuration keys with '_' for '-'. For each, an EventBridge Scheduler schedule (the same cron, in time_zone, flexible window off) sends {\"command\":\"snapshot\",\"policy\":<name>,\"slot\":<aws.scheduler.scheduled-time>} to the queue, with retries and its own DLQ; its role may only send to those queues."
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.snapshot_schedules) : can(regex("^[a-z][a-z0-9-]*$", name))])
    error_message = "snapshot_schedules names must be lower case letters, digits and hyphens, starting with a letter."
  }

  validation {
    condition     = alltrue([for s in values(var.snapshot_schedules) : can(regex("^cron\\(.+\\)$", s.schedule))])
    error_message = "snapshot_schedules schedule must be an EventBridge cron(...) expression, e.g. cron(0 2,14 * * ? *)."
  }
}

variable "copies" {
  type = map(object({
    destination_region      = string
    destination_kms_key_arn = optional(string)
    sources                 = list(string)
    scope                   = optional(string, "both")
    kinds                   = optional(list(string))
    option_group            = optional(string)
    copy_tags               = optional(bool, true)
    name_prefix             = optional(string)
    keep_days               = optional(number)
    keep_last               = optional(number)
    max_deletes             = optional(number)
    notification_topic      = optional(string)
  }))
  description = "Snapline's cross-region copy policies (snapline.copies.<name>.*) by name, passed to the container in MICRONAUT_APPLICATION_JSON; attributes are the configuration keys with '_' for '-' (destination_kms_key_arn is destination-kms-key-id). The destination Region of each, and the KMS key there the copies are encrypted with (required for encrypted sources: keys are Region-bound). The task role may copy snapshots into those Regions, tag, describe and delete the copies there, and use those keys. Each destination Region needs the modules/dr-region module instantiated once with a provider for that Region; this module's queue policy admits the <name_prefix>-rds-events topic of every destination Region named here (output copy_event_topic_arns)."
  default     = {}
}

variable "retention" {
  type = map(object({
    sources              = list(string)
    name_prefix          = string
    scope                = optional(string, "both")
    keep_days            = optional(number)
    keep_last            = optional(number)
    keep_daily           = optional(number)
    keep_weekly          = optional(number)
    keep_monthly         = optional(number)
    time_zone            = optional(string)
    max_deletes          = optional(number)
    max_delete_percent   = optional(number)
    notification_topic   = optional(string)
    management_tag_key   = optional(string)
    management_tag_value = optional(string)
  }))
  description = "Snapline's snapshot retention policies (snapline.retention.<name>.*) by name, passed to the container in MICRONAUT_APPLICATION_JSON; attributes are the configuration keys with '_' for '-' (management_tag_key / management_tag_value are management-tag.key / .value). A policy prunes only manual snapshots of its sources whose identifier starts with name_prefix and that carry the management tag (the tag a snapshot schedule puts on its snapshots), within max_deletes and max_delete_percent per run. At least one keep rule is required. A copy policy's destination retention is its own keep_days / keep_last, not this."
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.retention) : can(regex("^[a-z][a-z0-9-]*$", name))])
    error_message = "retention names must be lower case letters, digits and hyphens, starting with a letter."
  }
  validation {
    condition = alltrue([for r in values(var.retention) :
    anytrue([for k in [r.keep_days, r.keep_last, r.keep_daily, r.keep_weekly, r.keep_monthly] : k != null])])
    error_message = "retention: every policy needs at least one of keep_days, keep_last, keep_daily, keep_weekly, keep_monthly, so that no policy means \"delete everything\"."
  }
  validation {
    condition     = alltrue([for r in values(var.retention) : length(r.sources) > 0 && trimspace(r.name_prefix) != ""])
    error_message = "retention: every policy needs sources and a name_prefix (only snapshots whose identifier starts with it are ever deleted)."
  }
  validation {
    condition     = alltrue([for name in keys(var.retention) : !contains([for c in keys(var.copies) : "copies-${c}"], name)])
    error_message = "retention: a policy may not be called copies-<copy policy>: that name is the copy policy's destination retention (its keep_days / keep_last)."
  }
}
