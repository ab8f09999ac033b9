/**
 * The one step runner every pipeline step uses (export, ACL, crawl, snapshot, copy, clone):
 * claim in the ledger, run, record or release, notify once. It sees the ledger, the error roots
 * and the handler's {@code Outcome}; never the AWS SDK.
 */
package io.snapline.handler.step;
