/** The export pipeline: kickoff, ACL rewrite, Glue crawl, notifications and reconciliation of RDS snapshot exports. */
package io.snapline.handler.export;
