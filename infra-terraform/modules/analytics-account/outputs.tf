output "bucket_name" {
  description = "The export bucket."
  value       = aws_s3_bucket.exports.bucket
}

output "bucket_arn" {
  description = "ARN of the export bucket."
  value       = aws_s3_bucket.exports.arn
}

output "object_ownership" {
  description = "The bucket's Object Ownership, chosen from acl_mode (BucketOwnerEnforced or BucketOwnerPreferred)."
  value       = local.object_ownership
}

output "glue_database_name" {
  description = "The Glue database the crawler writes tables to."
  value       = aws_glue_catalog_database.exports.name
}

output "crawler_name" {
  description = "The Glue crawler Snapline starts after each export."
  value       = aws_glue_crawler.exports.name
}

output "crawler_arn" {
  description = "ARN of the Glue crawler."
  value       = aws_glue_crawler.exports.arn
}

output "crawler_role_arn" {
  description = "The crawler's role; the source module's export_key_user_arns must include it so it can decrypt the exports."
  value       = aws_iam_role.crawler.arn
}

output "cross_account_role_arn" {
  description = "The role Snapline assumes (with the external id) from the source account; null when not created."
  value       = var.create_cross_account_role ? aws_iam_role.cross_account[0].arn : null
}
