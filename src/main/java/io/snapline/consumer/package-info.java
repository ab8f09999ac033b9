/**
 * The SQS edge: the queue's topology and attributes read at start-up, the receive loop with its
 * permits, in-flight heartbeat, batched deletes, dead-letter and re-check sends, the shutdown
 * drain, and the processor that turns one body into a disposition. It may use the AWS SDK's SQS
 * client, {@code message}, {@code handler}, {@code ledger}, {@code error} and {@code config}.
 */
package io.snapline.consumer;
