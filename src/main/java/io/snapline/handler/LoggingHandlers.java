package io.snapline.handler;

import io.micronaut.context.annotation.Factory;
import io.snapline.message.BatchJobStatusChanged;
import io.snapline.message.CrawlerStateChanged;
import io.snapline.message.ExportTaskFinished;
import io.snapline.message.SnaplineMessage;
import io.snapline.message.SnapshotCreated;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logging handler for each event kind, so the path from queue to handler is whole before the
 * real handlers exist. Each is a fallback: a real handler bean for the kind takes its place.
 */
@Factory
public class LoggingHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingHandlers.class);

    /** Logs the message and reports it skipped. */
    public static final class LoggingHandler<M extends SnaplineMessage> implements MessageHandler<M> {
        private final Class<M> type;

        public LoggingHandler(Class<M> type) {
            this.type = type;
        }

        @Override
        public Class<M> messageType() {
            return type;
        }

        @Override
        public Outcome handle(M message) {
            LOG.info("no handler acts on {} yet: {}", message.kind().label(), message);
            return Outcome.skipped("logged only: no handler for " + message.kind().label());
        }

        @Override
        public boolean fallback() {
            return true;
        }
    }

    @Singleton
    MessageHandler<SnapshotCreated> snapshotCreated() {
        return new LoggingHandler<>(SnapshotCreated.class);
    }

    @Singleton
    MessageHandler<ExportTaskFinished> exportTaskFinished() {
        return new LoggingHandler<>(ExportTaskFinished.class);
    }

    @Singleton
    MessageHandler<BatchJobStatusChanged> batchJobStatusChanged() {
        return new LoggingHandler<>(BatchJobStatusChanged.class);
    }

    @Singleton
    MessageHandler<CrawlerStateChanged> crawlerStateChanged() {
        return new LoggingHandler<>(CrawlerStateChanged.class);
    }
}
