package io.snapline.handler;

import io.micronaut.context.ApplicationContext;
import io.snapline.error.PermanentProcessingException;
import io.snapline.message.BatchJobStatusChanged;
import io.snapline.message.Command;
import io.snapline.message.CrawlerStateChanged;
import io.snapline.message.ExportTaskFinished;
import io.snapline.message.MessageKind;
import io.snapline.message.SnapshotCreated;
import io.snapline.testing.RecordingHandler;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collection;
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
    void aKindWithoutAHandler_failsTheBoot_namingEveryMissingKind() {
        assertThatThrownBy(() -> new HandlerRegistry(List.of(REAL)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("EXPORT_TASK_FINISHED has no handler")
                .hasMessageContaining("BATCH_JOB_STATUS_CHANGED has no handler")
                .hasMessageContaining("CRAWLER_STATE_CHANGED has no handler")
                .hasMessageContaining("COMMAND has no handler")
                .hasMessageNotContaining("SNAPSHOT_CREATED");
    }

    @Test
    void everyKindWithItsHandler_isChosen() {
        HandlerRegistry registry = new HandlerRegistry(List.of(REAL, new RecordingHandler<>(ExportTaskFinished.class),
                new RecordingHandler<>(io.snapline.message.SnapshotCopyCanceled.class),
                new RecordingHandler<>(BatchJobStatusChanged.class), new RecordingHandler<>(CrawlerStateChanged.class),
                new CommandHandler(List.of())));

        assertThat(registry.handlerFor(MessageKind.SNAPSHOT_CREATED)).isSameAs(REAL);
    }

    @Test
    void twoHandlersForOneKind_failTheBoot() {
        assertThatThrownBy(() -> new HandlerRegistry(List.of(REAL, new RecordingHandler<>(SnapshotCreated.class),
                new RecordingHandler<>(ExportTaskFinished.class),
                new RecordingHandler<>(io.snapline.message.SnapshotCopyCanceled.class), new RecordingHandler<>(BatchJobStatusChanged.class),
                new RecordingHandler<>(CrawlerStateChanged.class), new CommandHandler(List.of()))))
                .hasMessageContaining("SNAPSHOT_CREATED has 2 handlers");
    }

    /**
     * The application's beans hold exactly one handler per kind, its real one: production code
     * registers no stand-in ("logged only") handler that would take over, skipping, deleting and
     * marking done every event of a kind whose real handler bean went missing; such a kind fails the
     * boot instead (see {@link #aKindWithoutAHandler_failsTheBoot_namingEveryMissingKind}).
     */
    @Test
    void theApplicationsBeans_holdExactlyOneHandlerPerKind_itsRealOne() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of("snapline.test.in-memory-aws", "true"))) {
            @SuppressWarnings({"rawtypes", "unchecked"})
            Collection<MessageHandler<?>> beans = (Collection) ctx.getBeansOfType(MessageHandler.class);
            HandlerRegistry registry = ctx.getBean(HandlerRegistry.class);
            for (MessageKind kind : Arrays.stream(MessageKind.values()).filter(MessageKind::needsHandler).toList()) {
                List<MessageHandler<?>> forKind = beans.stream().filter(h -> h.messageType() == kind.type()).toList();
                assertThat(forKind).as(kind.name()).singleElement()
                        .satisfies(h -> assertThat(registry.handlerFor(kind)).isSameAs(h));
            }
        }
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
