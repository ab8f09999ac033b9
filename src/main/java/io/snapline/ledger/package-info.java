/**
 * The pipeline ledger: idempotency claims and pipeline state behind one interface, its stores
 * (DynamoDB, and an embedded journal for local mode), the dry-run decorator, and the rules every
 * store shares for hostile keys and values ({@link io.snapline.ledger.LedgerKeys},
 * {@link io.snapline.ledger.LedgerValues}). Sees {@code config} and {@code message}; only
 * {@code DynamoDbLedger} and {@code LedgerFactory} touch the AWS SDK.
 */
package io.snapline.ledger;
