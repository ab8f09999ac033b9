# The Snapline service on ECS Fargate, scaled on the depth of its queue.

locals {
  create_cluster = var.ecs_cluster_arn == null
  cluster_arn    = local.create_cluster ? aws_ecs_cluster.this[0].arn : var.ecs_cluster_arn
  # arn:aws:ecs:<region>:<account>:cluster/<name>
  cluster_name = local.create_cluster ? aws_ecs_cluster.this[0].name : reverse(split("/", var.ecs_cluster_arn))[0]

  # The docker build --platform that produces an image this task definition can run.
  container_platform = var.cpu_architecture == "ARM64" ? "linux/arm64" : "linux/amd64"

  # The secrets of the export policies, as ECS container secrets: one environment variable per
  # policy and secret (SNAPLINE_SECRET_<POLICY>_<KEY>), which the policy's JSON names by placeholder
  # (Micronaut resolves "$${NAME}" from the environment). The value never enters the task definition.
  policy_secret_keys = {
    crawler_external_id_secret_arn = "crawler-external-id"
    source_external_id_secret_arn  = "source-external-id"
    webhook_url_secret_arn         = "webhook-url"
  }
  policy_secret_list = flatten([for name, p in var.export_policies : [
    for attr, key in local.policy_secret_keys : {
      id        = join("/", [name, key])
      env       = join("_", ["SNAPLINE_SECRET", upper(replace(name, "-", "_")), upper(replace(key, "-", "_"))])
      policy    = name
      key       = key
      valueFrom = p[attr]
    } if p[attr] != null
  ]])
  policy_secrets = { for s in local.policy_secret_list : s.env => s }
  # "<policy>/<key>" => the placeholder $${SNAPLINE_SECRET_...} ("$${" is a literal "${").
  policy_secret_placeholders = { for s in local.policy_secret_list : s.id => "$${${s.env}}" }

  # Every secret the container gets: environment variable name => Secrets Manager / SSM ARN. New
  # secrets (of new features) are added here and nowhere else; the execution role reads exactly these.
  container_secrets = merge(
    { for env, s in local.policy_secrets : env => s.valueFrom },
    var.slack_signing_secret_arn == null ? {} : { SNAPLINE_SLACK_SIGNING_SECRET = var.slack_signing_secret_arn },
    var.console_token_secret_arn == null ? {} : { SNAPLINE_CONSOLE_TOKEN = var.console_token_secret_arn },
    var.container_secrets,
  )

  # Export policies with this module's resources as defaults, under Snapline's configuration keys
  # (kebab case).
  export_policies = { for name, p in var.export_policies : name => {
    "sources"              = p.sources
    "kinds"                = p.kinds
    "bucket"               = coalesce(p.bucket, var.export_bucket_name)
    "prefix"               = coalesce(p.prefix, var.export_prefix)
    "kms-key"              = coalesce(p.kms_key, aws_kms_key.export.arn)
    "export-role-arn"      = coalesce(p.export_role_arn, aws_iam_role.export.arn)
    "export-only"          = p.export_only
    "crawler"              = p.crawler
    "crawler-role-arn"     = p.crawler_role_arn
    "acl-mode"             = p.acl_mode
    "acl-batch-threshold"  = p.acl_batch_threshold
    "batch-role-arn"       = contains(["auto", "batch"], p.acl_mode) ? coalesce(p.batch_role_arn, aws_iam_role.batch_operations.arn) : p.batch_role_arn
    "notification-topic"   = coalesce(p.notification_topic, aws_sns_topic.notifications.arn)
    "source-role-arn"      = p.source_role_arn
    "bucket-owner-account" = p.bucket_owner_account
    # Placeholders for the secrets (null, and so left out, when the policy has none).
    "crawler-external-id" = lookup(local.policy_secret_placeholders, join("/", [name, "crawler-external-id"]), null)
    "source-external-id"  = lookup(local.policy_secret_placeholders, join("/", [name, "source-external-id"]), null)
    "webhook-url"         = lookup(local.policy_secret_placeholders, join("/", [name, "webhook-url"]), null)
  } }

  # The policies as Micronaut JSON configuration. Unset attributes (null) and empty lists are left
  # out, so Snapline's own defaults apply: jsonencode writes no spaces and sorts keys, so a key whose
  # value is null or [] is removed with its comma.
  export_policies_json = replace(replace(
    jsonencode({ snapline = merge(
      length(local.export_policies) == 0 ? {} : { exports = local.export_policies },
      length(local.snapshot_schedules) == 0 ? {} : { snapshots = local.snapshot_schedules },
      length(local.copy_policies) == 0 ? {} : { copies = local.copy_policies },
      length(local.retention_policies) == 0 ? {} : { retention = local.retention_policies },
    ) }),
    "/,\"[a-z-]+\":(null|\\[\\])/", ""),
  "/\"[a-z-]+\":(null|\\[\\]),?/", "")

  # The settings this module owns; extra_environment is merged over them.
  environment = merge(
    {
      AWS_REGION                        = local.region
      SNAPLINE_REGION                   = local.region
      SNAPLINE_QUEUE_URL                = aws_sqs_queue.events.id
      SNAPLINE_QUEUE_DLQ_URL            = aws_sqs_queue.dlq.id
      SNAPLINE_QUEUE_VISIBILITY_TIMEOUT = "${var.visibility_timeout_seconds}s"
      SNAPLINE_LEDGER_STORE             = "dynamodb"
      SNAPLINE_LEDGER_TABLE             = aws_dynamodb_table.ledger.name
      SNAPLINE_DRY_RUN                  = tostring(var.dry_run)
      SNAPLINE_PRUNE_NOTIFICATION_TOPIC = aws_sns_topic.notifications.arn
      # One JSON object per log line, with the message's MDC (message_id, kind, key, aws_request_id)
      # as fields, for CloudWatch Logs Insights (src/main/resources/logback.xml).
      SNAPLINE_LOG_FORMAT = "json"
      # Snapline's meters (snapline.*) to CloudWatch through Micrometer's CloudWatch registry.
      MICRONAUT_METRICS_EXPORT_CLOUDWATCH_ENABLED   = "true"
      MICRONAUT_METRICS_EXPORT_CLOUDWATCH_NAMESPACE = var.metrics_namespace
    },
    length(local.export_policies) + length(local.snapshot_schedules) + length(local.copy_policies) == 0 ? {} : {
      MICRONAUT_APPLICATION_JSON = local.export_policies_json
    },
    var.extra_environment,
  )
}

resource "aws_ecs_cluster" "this" {
  count = local.create_cluster ? 1 : 0
  name  = var.name_prefix

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "service" {
  name              = "/ecs/${var.name_prefix}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_ecs_task_definition" "service" {
  family                   = var.name_prefix
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  task_role_arn            = aws_iam_role.task.arn
  execution_role_arn       = aws_iam_role.execution.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  container_definitions = jsonencode([
    {
      name      = "snapline"
      image     = var.container_image
      essential = true
      portMappings = [
        { containerPort = 8080, protocol = "tcp" }
      ]
      environment = [
        for k in sort(keys(local.environment)) : { name = k, value = local.environment[k] }
      ]
      # Injected by ECS from Secrets Manager / SSM at start; the task definition holds only the ARNs.
      secrets = [
        for k in sort(keys(local.container_secrets)) : { name = k, valueFrom = local.container_secrets[k] }
      ]
      # The image's wget asks Snapline's own health endpoint.
      healthCheck = {
        command     = ["CMD-SHELL", "wget -q -O /dev/null http://localhost:8080/health || exit 1"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 60
      }
      # SIGTERM drains in-flight messages (snapline.queue.shutdown-deadline, 30 s by default).
      stopTimeout            = 60
      readonlyRootFilesystem = false
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service.name
          awslogs-region        = local.region
          awslogs-stream-prefix = "snapline"
        }
      }
    }
  ])

  tags = var.tags

  lifecycle {
    # The export role, the task role and the bucket policy grant exactly export_bucket_name/export_prefix.
    precondition {
      condition = alltrue([for p in values(local.export_policies) :
        p["bucket"] == var.export_bucket_name && (p["prefix"] == var.export_prefix || startswith(p["prefix"], "${var.export_prefix}/"))
      ])
      error_message = "every export policy must write to export_bucket_name under export_prefix: that is all the roles are granted."
    }
  }
}

resource "aws_ecs_service" "service" {
  name                               = var.name_prefix
  cluster                            = local.cluster_arn
  task_definition                    = aws_ecs_task_definition.service.arn
  launch_type                        = "FARGATE"
  desired_count                      = var.min_capacity
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  enable_execute_command             = false

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = var.security_group_ids
    assign_public_ip = var.assign_public_ip
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  # Autoscaling owns the task count after the first apply.
  lifecycle {
    ignore_changes = [desired_count]
  }

  tags = var.tags
}

resource "aws_appautoscaling_target" "service" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${local.cluster_name}/${aws_ecs_service.service.name}"
  min_capacity       = var.min_capacity
  max_capacity       = var.max_capacity
}

# Target tracking on the visible backlog: more tasks when messages wait, fewer when the queue is calm.
resource "aws_appautoscaling_policy" "queue_depth" {
  name               = "${var.name_prefix}-queue-depth"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service.service_namespace
  scalable_dimension = aws_appautoscaling_target.service.scalable_dimension
  resource_id        = aws_appautoscaling_target.service.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.scaling_queue_depth_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    customized_metric_specification {
      namespace   = "AWS/SQS"
      metric_name = "ApproximateNumberOfMessagesVisible"
      statistic   = "Average"

      dimensions {
        name  = "QueueName"
        value = aws_sqs_queue.events.name
      }
    }
  }
}

# --- Clones: the network -----------------------------------------------------------------

# The security group a clone has while it still holds unmasked data: only the service reaches it, on
# the database ports. Once masked and verified, a clone gets its policy's security-groups instead.
locals {
  # service security group x database port, only when clones are wired up
  clone_groups  = var.clone_vpc_id == null ? [] : var.security_group_ids
  clone_ingress = { for pair in setproduct(local.clone_groups, var.clone_database_ports) : join("-", [pair[0], tostring(pair[1])]) => pair }
}

resource "aws_security_group" "clone_masking" {
  count       = var.clone_vpc_id == null ? 0 : 1
  name        = "${var.name_prefix}-clone-masking"
  description = "Snapline clones while masked: reachable by the Snapline service only"
  vpc_id      = var.clone_vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "clone_from_service" {
  for_each                     = local.clone_ingress
  security_group_id            = aws_security_group.clone_masking[0].id
  referenced_security_group_id = each.value[0]
  from_port                    = each.value[1]
  to_port                      = each.value[1]
  ip_protocol                  = "tcp"
  description                  = "Snapline service to a clone being masked"
}
