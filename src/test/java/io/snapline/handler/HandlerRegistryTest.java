package io.snapline.handler;

import io.snapline.handler.LoggingHandlers.LoggingHandler;
import io.snapline.message.BatchJobStatusChanged;
import io.snapline.message.Command;
import io.snapline.message.CrawlerStateChanged;
import io.snapline.message.ExportTaskFinished;
import io.snapline.message.MessageKind;
import io.snapline.message.SnapshotCreated;
import io.snapline.error.PermanentProcessingException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandlerRegistryTest {

    private static final MessageHandler<SnapshotCreated> REAL = new MessageHandler<>() {
        @Override
        public Class<SnapshotCreated> messageType() {
            return SnapshotCreated.class;
        }

        @Override
        public Outcome handle(SnapshotCreated message) {
            return Outcome.done("real");
        }
    };

    @Test
    void aKindWithoutAHandler_failsTheBoot_namingTheKind() {
        assertThatThrownBy(() -> new HandlerRegistry(List.of(new LoggingHandler<>(SnapshotCreated.class))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("EXPORT_TASK_FINISHED has no handler")
                .hasMessageContaining("COMMAND has no handler");
    }

    @Test
    void aRealHandler_replacesTheLoggingFallback() {
        HandlerRegistry registry = new HandlerRegistry(List.of(new LoggingHandler<>(SnapshotCreated.class), REAL,
                new LoggingHandler<>(ExportTaskFinished.class), new LoggingHandler<>(BatchJobStatusChanged.class),
                new LoggingHandler<>(CrawlerStateChanged.class), new CommandHandler(List.of())));
        assertThat(registry.handlerFor(MessageKind.SNAPSHOT_CREATED)).isSameAs(REAL);
        assertThat(registry.handlerFor(MessageKind.EXPORT_TASK_FINISHED).fallback()).isTrue();
    }

    @Test
    void twoRealHandlersForOneKind_failTheBoot() {
        assertThatThrownBy(() -> new HandlerRegistry(List.of(REAL, REAL, new LoggingHandler<>(ExportTaskFinished.class),
                new LoggingHandler<>(BatchJobStatusChanged.class), new LoggingHandler<>(CrawlerStateChanged.class),
                new CommandHandler(List.of()))))
                .hasMessageContaining("SNAPSHOT_CREATED has 2 handlers");
    }

    @Test
    void anUnknownCommand_isPermanent_andNamesTheKnownOnes() {
        CommandAction prune = new CommandAction() {
            @Override
            public String name() {
                return "prune";
            }

            @Override
            public Outcome run(Command command) {
                return Outcome.done("pruned");
            }
        };
        CommandHandler handler = new CommandHandler(List.of(prune));
        assertThatThrownBy(() -> handler.handle(new Command("prnue", Map.of(), false, Optional.empty())))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("unknown command 'prnue'").hasMessageContaining("prune");
    }
}
