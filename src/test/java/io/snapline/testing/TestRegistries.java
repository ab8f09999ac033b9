package io.snapline.testing;

import io.snapline.handler.CommandAction;
import io.snapline.handler.CommandHandler;
import io.snapline.handler.HandlerRegistry;
import io.snapline.message.BatchJobStatusChanged;
import io.snapline.message.CrawlerStateChanged;
import io.snapline.message.ExportTaskFinished;
import io.snapline.message.SnapshotCreated;

import java.util.List;

/** A complete handler registry for consumer tests: {@link RecordingHandler}s for the events, the given commands. */
public final class TestRegistries {

    private TestRegistries() {
    }

    public static HandlerRegistry withCommands(CommandAction... actions) {
        return new HandlerRegistry(List.of(
                new RecordingHandler<>(SnapshotCreated.class), new RecordingHandler<>(ExportTaskFinished.class),
                new RecordingHandler<>(io.snapline.message.SnapshotCopyCanceled.class),
                new RecordingHandler<>(BatchJobStatusChanged.class), new RecordingHandler<>(CrawlerStateChanged.class),
                new CommandHandler(List.of(actions))));
    }
}
