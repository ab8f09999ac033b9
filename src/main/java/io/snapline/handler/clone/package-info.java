/**
 * Masked, short-lived clones of production (issue 12): the requests ({@code clone}, {@code extend},
 * {@code delete}, {@code reap} commands), the clone pipeline's steps on the step runner, the one gate
 * that holds every hand-over back until a verification of zero is recorded, reaping and cleanup, and
 * the read view of live clones. Sees the gateways, the ledger, the masking engine, config and message;
 * never the AWS SDK.
 */
package io.snapline.handler.clone;
