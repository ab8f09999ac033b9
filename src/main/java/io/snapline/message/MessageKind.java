package io.snapline.message;

/** The kinds of message Snapline recognises. {@link #IGNORED} and {@link #MALFORMED} have no handler. */
public enum MessageKind {
    SNAPSHOT_CREATED(SnapshotCreated.class),
    SNAPSHOT_COPY_CANCELED(SnapshotCopyCanceled.class),
    EXPORT_TASK_FINISHED(ExportTaskFinished.class),
    BATCH_JOB_STATUS_CHANGED(BatchJobStatusChanged.class),
    CRAWLER_STATE_CHANGED(CrawlerStateChanged.class),
    COMMAND(Command.class),
    IGNORED(Ignored.class),
    MALFORMED(Malformed.class);

    private final Class<? extends SnaplineMessage> type;

    MessageKind(Class<? extends SnaplineMessage> type) {
        this.type = type;
    }

    public Class<? extends SnaplineMessage> type() {
        return type;
    }

    /** True for the kinds that need a handler bean; the boot fails when one is missing. */
    public boolean needsHandler() {
        return this != IGNORED && this != MALFORMED;
    }

    /** Lower-case label for metrics and logs. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
