package io.snapline.handler.export;

import io.snapline.testing.TestLedger;
import io.micronaut.context.ApplicationContext;
import io.snapline.gateway.Gateways;
import io.snapline.handler.CommandAction;
import io.snapline.handler.MessageHandler;
import io.snapline.handler.Outcome;
import io.snapline.ledger.Ledger;
import io.snapline.message.SnapshotCreated;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The export beans wire in a Micronaut context given a {@link Gateways} and a {@link Ledger} bean. */
class ExportBeansTest {

    @Test
    void handlersAndReconcile_areBeans_andWorkFromConfiguration() throws Exception {
        Map<String, Object> config = Map.of(InMemoryExportBeans.PROPERTY, "true",
                "snapline.exports.daily.sources", "orders",
                "snapline.exports.daily.bucket", "exports-bucket",
                "snapline.exports.daily.kms-key", "alias/exports",
                "snapline.exports.daily.export-role-arn", "arn:aws:iam::111111111111:role/rds-export",
                "snapline.exports.daily.acl-mode", "per-object");
        try (ApplicationContext ctx = ApplicationContext.run(config)) {
            InMemoryAws aws = (InMemoryAws) ctx.getBean(Gateways.class);
            assertThat(ctx.getBean(Ledger.class)).isInstanceOf(TestLedger.class);
            @SuppressWarnings("rawtypes")
            var handlers = ctx.getBeansOfType(MessageHandler.class);
            assertThat(handlers).extracting(h -> h.messageType().getSimpleName())
                    .contains("SnapshotCreated", "ExportTaskFinished", "BatchJobStatusChanged", "CrawlerStateChanged");
            assertThat(ctx.getBeansOfType(CommandAction.class)).extracting(CommandAction::name).contains("reconcile");

            var snap = aws.addSnapshot("rds:orders-2024-03-01-00-00", "orders", "automated", "available", "mysql");
            Outcome outcome = ctx.getBean(SnapshotCreatedHandler.class)
                    .handle(ExportFixture.createdEvent(snap.arn(), SnapshotCreated.Origin.AUTOMATED));
            assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
            assertThat(aws.startRequests).singleElement()
                    .satisfies(r -> assertThat(r.taskId()).isEqualTo(ExportTaskIds.forArn("daily", snap.arn())));
        }
    }
}
