package io.snapline.handler.export;

import io.snapline.error.NotReadyException;
import io.snapline.error.PermanentProcessingException;
import io.snapline.gateway.ExportGateway;
import io.snapline.handler.Outcome;
import io.snapline.ledger.StepState;
import io.snapline.message.SnapshotCreated;
import io.snapline.message.SnapshotRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static io.snapline.handler.export.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotCreatedHandlerTest {

    private static final String SNAP = "rds:orders-2024-03-01-00-00";
    private ExportFixture f;

    @AfterEach
    void close() {
        f.close();
    }

    private SnapshotCreated event(String arn) {
        return ExportFixture.createdEvent(arn, SnapshotCreated.Origin.AUTOMATED);
    }

    @Test
    void duplicateEvents_startOneExport() throws Exception {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres");

        Outcome first = f.created.handle(event(snap.arn()));
        Outcome second = f.created.handle(event(snap.arn()));

        assertThat(first.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(second.status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(f.aws.startRequests).hasSize(1);
        var request = f.aws.startRequests.get(0);
        assertThat(request.taskId()).isEqualTo(ExportTaskIds.of("analytics", SNAP));
        assertThat(request.prefix()).isEqualTo("rds/orders/2024/03/01");
        assertThat(request.sourceArn()).isEqualTo(snap.arn());
        assertThat(request.kmsKeyId()).isEqualTo(policy().kmsKey);
        assertThat(f.ledger.step(snap.arn(), "export:analytics")).get()
                .satisfies(s -> assertThat(s.state()).isEqualTo(StepState.STARTED))
                .satisfies(s -> assertThat(s.detail()).contains(request.taskId()));
    }

    @Test
    void eventWithoutArn_isResolvedByDescribe() throws Exception {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "mysql");
        var noArn = new SnapshotCreated(new SnapshotRef(SNAP, SnapshotRef.Scope.DB_SNAPSHOT, Optional.empty(), Optional.empty()),
                SnapshotCreated.Origin.AUTOMATED, "RDS-EVENT-0091", Instant.now(), Map.of());

        assertThat(f.created.handle(noArn).status()).isEqualTo(Outcome.Status.DONE);
        assertThat(f.aws.startRequests).singleElement().extracting(ExportGateway.ExportRequest::sourceArn).isEqualTo(snap.arn());
    }

    @Test
    void noMatchingPolicy_isSkippedWithReason() throws Exception {
        f = new ExportFixture(policy().sources("billing").build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres");

        Outcome outcome = f.created.handle(event(snap.arn()));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(outcome.reason()).startsWith("no policy matched");
        assertThat(f.ledger.step(snap.arn(), "policy")).get().extracting(s -> s.state()).isEqualTo(StepState.SKIPPED);
        assertThat(f.aws.startRequests).isEmpty();
    }

    @Test
    void kindNotSelected_isSkipped() throws Exception {
        f = new ExportFixture(policy().kinds("manual").build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres");

        assertThat(f.created.handle(event(snap.arn())).reason()).startsWith("no policy matched");
        assertThat(f.aws.startRequests).isEmpty();
    }

    @Test
    void severalPolicies_exportOncePerPolicy() throws Exception {
        f = new ExportFixture(policy().name("a").build(), policy().name("b").sources("ord*").build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres");

        f.created.handle(event(snap.arn()));
        f.created.handle(event(snap.arn()));

        assertThat(f.aws.startRequests).extracting(ExportGateway.ExportRequest::taskId)
                .containsExactlyInAnyOrder(ExportTaskIds.of("a", SNAP), ExportTaskIds.of("b", SNAP));
    }

    @Test
    void invalidExportSourceState_rechecksLater_andReleasesTheClaim() throws Exception {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres");
        f.aws.startErrors.add(new NotReadyException("InvalidExportSourceState", Duration.ofMinutes(3)));

        Outcome outcome = f.created.handle(event(snap.arn()));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(outcome.recheckAfter()).contains(Duration.ofMinutes(3));
        assertThat(f.ledger.held(ExportSubject.exportKey(snap.arn(), "analytics"))).isFalse();
        assertThat(f.ledger.step(snap.arn(), "export:analytics")).get().extracting(s -> s.state()).isEqualTo(StepState.WAITING);

        assertThat(f.created.handle(event(snap.arn())).status()).isEqualTo(Outcome.Status.DONE);
        assertThat(f.aws.tasks).hasSize(1);
    }

    @Test
    void snapshotNotYetAvailable_rechecksWithoutCallingRds() throws Exception {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "manual", "copying", "postgres");

        Outcome outcome = f.created.handle(ExportFixture.createdEvent(snap.arn(), SnapshotCreated.Origin.COPY));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(f.aws.startRequests).isEmpty();
        assertThat(f.ledger.held(ExportSubject.exportKey(snap.arn(), "analytics"))).isFalse();
    }

    @Test
    void alreadyExists_forSameSnapshot_isAlreadyDone() throws Exception {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres");
        String taskId = ExportTaskIds.of("analytics", SNAP);
        f.aws.tasks.put(taskId, new ExportGateway.ExportTask(taskId, snap.arn(), "IN_PROGRESS", "exports-bucket", "rds",
                Optional.empty(), Optional.of(Instant.now()), Optional.empty(), 0));

        Outcome outcome = f.created.handle(event(snap.arn()));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(f.ledger.completed(ExportSubject.exportKey(snap.arn(), "analytics"))).isTrue();
    }

    @Test
    void alreadyExists_forAnotherSnapshot_isPermanent_andNotified() {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres");
        String taskId = ExportTaskIds.of("analytics", SNAP);
        f.aws.tasks.put(taskId, new ExportGateway.ExportTask(taskId, "arn:aws:rds:us-east-1:111111111111:snapshot:other",
                "COMPLETE", "exports-bucket", "rds", Optional.empty(), Optional.empty(), Optional.empty(), 0));

        assertThatThrownBy(() -> f.created.handle(event(snap.arn())))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("identifier collision");
        assertThat(f.ledger.held(ExportSubject.exportKey(snap.arn(), "analytics"))).isFalse();
        assertThat(f.ledger.step(snap.arn(), "export:analytics")).get().extracting(s -> s.state()).isEqualTo(StepState.FAILED);
        assertThat(f.aws.published).singleElement().satisfies(p -> assertThat(p.body())
                .contains("\"event\":\"pipeline-error\"").contains("identifier collision"));
    }

    @Test
    void exportOnlyNotFittingTheEngine_isPermanent_andNeverReachesRds() {
        f = new ExportFixture(policy().exportOnly("shop.public.orders").build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "mysql");

        assertThatThrownBy(() -> f.created.handle(event(snap.arn())))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("snapline.exports.analytics.export-only")
                .hasMessageContaining("does not fit engine 'mysql'");
        assertThat(f.aws.startRequests).isEmpty();
    }

    @Test
    void permanentFailureOfOnePolicy_doesNotStopTheOthers() {
        f = new ExportFixture(policy().name("a").exportOnly("shop.public.orders").build(), policy().name("b").build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "mysql");

        assertThatThrownBy(() -> f.created.handle(event(snap.arn()))).isInstanceOf(PermanentProcessingException.class);
        assertThat(f.aws.startRequests).extracting(ExportGateway.ExportRequest::taskId).containsExactly(ExportTaskIds.of("b", SNAP));
    }

    @Test
    void sharedSnapshot_isNeverExported() throws Exception {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "shared", "available", "postgres");

        assertThat(f.created.handle(event(snap.arn())).status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(f.aws.startRequests).isEmpty();
    }
}
