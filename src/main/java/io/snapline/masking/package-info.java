/**
 * The masking engine for clones: a masking specification ({@link io.snapline.masking.MaskingSpec}),
 * checked against a live database and applied set-based over JDBC, in primary-key ranges
 * checkpointed in the ledger, then verified. Plain JDBC: no AWS SDK, no Micronaut; it may use
 * {@code io.snapline.ledger} (checkpoints) and {@code io.snapline.error} (the two failure roots).
 */
package io.snapline.masking;
