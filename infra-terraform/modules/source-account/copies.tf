# --- Cross-region copies: the main Region's side (snapline.copies.<name>.*) --------------------
#
# A copy's end is announced by RDS in the destination Region only (RDS-EVENT-0060 finished, 0061
# canceled). modules/dr-region, instantiated once per destination Region, subscribes that Region's RDS
# snapshot events to a topic there and delivers them to this module's queue. Here: the queue policy
# admits those topics by ARN (they are named <name_prefix>-rds-events in their Region, as this Region's
# topic is), and the outputs hand the ARNs to the dr-region modules. The messaging key already lets
# sns.amazonaws.com of this account encrypt into the queue (ServicesDeliverEncrypted), from any Region.

locals {
  # The copy policies as the service reads them (README, "Cross-region copies"); nulls are dropped
  # with the other policies' in ecs.tf.
  copy_policies = { for name, c in var.copies : name => {
    "sources"                = c.sources
    "scope"                  = c.scope
    "kinds"                  = c.kinds
    "destination-region"     = c.destination_region
    "destination-kms-key-id" = c.destination_kms_key_arn
    "option-group"           = c.option_group
    "copy-tags"              = c.copy_tags
    "name-prefix"            = c.name_prefix
    "keep-days"              = c.keep_days
    "keep-last"              = c.keep_last
    "max-deletes"            = c.max_deletes
    "notification-topic"     = c.notification_topic
  } }
  copy_regions = sort(distinct([for c in values(var.copies) : c.destination_region]))
  copy_event_topic_arns = [for r in local.copy_regions :
    "arn:${local.partition}:sns:${r}:${local.account_id}:${var.name_prefix}-rds-events"
  ]
}
