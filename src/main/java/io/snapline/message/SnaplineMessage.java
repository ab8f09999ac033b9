package io.snapline.message;

/**
 * One SQS body, parsed once at the edge. Every body becomes exactly one of these values: a
 * message a handler acts on, an {@link Ignored} value that says why nothing is to be done, or a
 * {@link Malformed} value for input that cannot be understood (sent to the dead-letter queue).
 * No handler ever reads raw JSON.
 */
public sealed interface SnaplineMessage
        permits SnapshotCreated, SnapshotCopyCanceled, ExportTaskFinished, BatchJobStatusChanged, CrawlerStateChanged,
                Command, Ignored, Malformed {

    /** The kind, used for dispatch, metrics and logs. */
    MessageKind kind();

    /**
     * The business subject of the message (a snapshot ARN or id, a job id, a crawler name, a
     * command name), for logs and idempotency keys. Never the SQS message id.
     */
    String key();
}
