# --- Cross-region copies: the main Region's side (snapline.copies.<name>.*) --------------------
#
# A copy's end is announced by RDS in the destination Region only (RDS-EVENT-0060 finished, 0061
# canceled). modules/dr-region, instantiated once per destination Region, subscribes that Region's RDS
# snapshot events to a topic there and delivers them to this module's queue. Here: the queue policy
# admits those topics by ARN (they are named <name_prefix>-rds-events in their Region, as this Region's
# topic is), and the outputs hand the ARNs to the dr-region modules. The messaging key already lets
# sns.amazonaws.com of this account encrypt into the queue (ServicesDeliverEncrypted), from any Region.

locals {
  copy_regions = sort(distinct([for c in values(var.copies) : c.destination_region]))
  copy_event_topic_arns = [for r in local.copy_regions :
    "arn:${local.partition}:sns:${r}:${local.account_id}:${var.name_prefix}-rds-events"
  ]
}
