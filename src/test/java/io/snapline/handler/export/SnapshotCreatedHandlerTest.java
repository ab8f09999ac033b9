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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        assertThat(request.taskId()).isEqualTo(ExportTaskIds.forArn("analytics", snap.arn()));
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
    void finishedCopyInAnotherRegion_isNotExported_skippedWithTheReason_withoutADescribe() throws Exception {
        f = new ExportFixture(policy().kinds("copy").build());
        String copyArn = "arn:aws:rds:us-west-2:123456789012:snapshot:dr-orders-copy";
        var event = new SnapshotCreated(new SnapshotRef("dr-orders-copy", SnapshotRef.Scope.DB_SNAPSHOT,
                Optional.of(copyArn), Optional.of("us-west-2")), SnapshotCreated.Origin.COPY, "RDS-EVENT-0060",
                Instant.now(), Map.of());

        Outcome outcome = f.created.handle(event);

        assertThat(outcome.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(outcome.reason()).contains("a copy in us-west-2").contains("us-east-1");
        assertThat(f.aws.describeCalls).isEmpty();
        assertThat(f.aws.startRequests).isEmpty();
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
                .containsExactlyInAnyOrder(ExportTaskIds.forArn("a", snap.arn()), ExportTaskIds.forArn("b", snap.arn()));
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
        String taskId = ExportTaskIds.forArn("analytics", snap.arn());
        f.aws.tasks.put(taskId, new ExportGateway.ExportTask(taskId, snap.arn(), "IN_PROGRESS", "exports-bucket", "rds",
                Optional.empty(), Optional.of(Instant.now()), Optional.empty(), 0));

        Outcome outcome = f.created.handle(event(snap.arn()));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(f.ledger.completed(ExportSubject.exportKey(snap.arn(), "analytics"))).isTrue();
    }

    @Test
    void alreadyExists_forAnotherSnapshot_isPermanent_notifiedOnce_andStaysFailedForItsDuplicates() throws Exception {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres");
        String taskId = ExportTaskIds.forArn("analytics", snap.arn());
        f.aws.tasks.put(taskId, new ExportGateway.ExportTask(taskId, "arn:aws:rds:us-east-1:111111111111:snapshot:other",
                "COMPLETE", "exports-bucket", "rds", Optional.empty(), Optional.empty(), Optional.empty(), 0));

        assertThatThrownBy(() -> f.created.handle(event(snap.arn())))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("identifier collision");
        // Issue 10 item 6: the claim used to be released, so each duplicate repeated StartExportTask and
        // the notice (105 calls for one snapshot). It stays failed: a duplicate does neither.
        Outcome duplicate = f.created.handle(event(snap.arn()));

        assertThat(duplicate.status()).isEqualTo(Outcome.Status.ALREADY_FAILED);
        assertThat(duplicate.reason()).contains("identifier collision");
        assertThat(f.aws.startRequests).hasSize(1);
        assertThat(f.ledger.operation(ExportSubject.exportKey(snap.arn(), "analytics")).orElseThrow().failed()).isTrue();
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
        assertThat(f.aws.startRequests).extracting(ExportGateway.ExportRequest::taskId).containsExactly(ExportTaskIds.forArn("b", snap.arn()));
    }

    @Test
    void sharedSnapshot_isNeverExported() throws Exception {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "shared", "available", "postgres");

        assertThat(f.created.handle(event(snap.arn())).status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(f.aws.startRequests).isEmpty();
    }

    @Test
    void aKickoffHeldByAnotherDelivery_isReCheckedOnceItsLeaseCanHaveLapsed_notCalledDone() throws Exception {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres");
        // a delivery that died (kill -9) holding the kickoff's claim
        f.ledger.claim(ExportSubject.exportKey(snap.arn(), "analytics"), ExportFixture.LEASE);
        f.clock.advance(Duration.ofMinutes(1));

        // The kickoff used to answer ALREADY_DONE here, deleting the message: the export was lost.
        Outcome held = f.created.handle(event(snap.arn()));

        assertThat(held.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(held.recheckAfter()).as("looks again as long as the claim has been held")
                .get().isEqualTo(Duration.ofMinutes(1));
        Outcome next = held;
        while (next.status() == Outcome.Status.RECHECK_LATER) {
            assertThat(f.aws.startRequests).as("never while the dead delivery's lease lasts").isEmpty();
            f.clock.advance(next.recheckAfter().orElseThrow());
            next = f.created.handle(event(snap.arn()));
        }
        assertThat(next.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(f.aws.startRequests).hasSize(1);
    }

    @Test
    void theSnapshotIsDescribedByIdentifier_neverByItsArn() throws Exception {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres");

        f.created.handle(event(snap.arn()));

        assertThat(f.aws.describeCalls).containsExactly(SNAP);
    }

    @Test
    void aMissingSnapshot_isReChecked_thenFailsEveryPolicyItsNameFits_notifiedOnce() throws Exception {
        f = new ExportFixture(policy().name("a").build(), policy().name("b").sources("billing").build());
        String arn = "arn:aws:rds:us-east-1:111111111111:snapshot:" + SNAP;
        var event = f.createdNow(arn, SnapshotCreated.Origin.AUTOMATED);

        Outcome early = f.created.handle(event);
        assertThat(early.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(early.recheckAfter()).contains(SnapshotCreatedHandler.NOT_FOUND_RECHECK);
        assertThat(f.ledger.step(arn, "policy")).get().extracting(s -> s.state()).isEqualTo(StepState.WAITING);

        f.clock.advance(SnapshotCreatedHandler.NOT_FOUND_GRACE);
        assertThatThrownBy(() -> f.created.handle(event)).isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("snapshot " + SNAP + " not found").hasMessageContaining("15 minutes after its event");
        assertThat(f.created.handle(event).status()).isEqualTo(Outcome.Status.ALREADY_FAILED);

        // only policy a takes "orders", the source the automated snapshot's name gives
        assertThat(f.ledger.step(arn, "export:a")).get().extracting(s -> s.state()).isEqualTo(StepState.FAILED);
        assertThat(f.ledger.step(arn, "export:b")).isEmpty();
        assertThat(f.aws.published).singleElement().satisfies(p -> assertThat(p.body())
                .contains("\"event\":\"pipeline-error\"").contains("\"policy\":\"a\"").contains("not found"));
        assertThat(f.aws.startRequests).isEmpty();
    }

    @Test
    void aMissingSnapshotWhoseNameNoPolicyTakes_isSkippedSayingSo() throws Exception {
        f = new ExportFixture(policy().sources("billing").build());
        String arn = "arn:aws:rds:us-east-1:111111111111:snapshot:" + SNAP;

        Outcome outcome = f.created.handle(f.createdNow(arn, SnapshotCreated.Origin.AUTOMATED));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(outcome.reason()).contains("was not found").contains("(orders) is taken by no policy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"awsbackup:job-1a2b3c4d", "..", "orders db", "a/../b", "x\u0000y"})
    void aSourceThatWouldPutCharactersRdsRejectsIntoThePrefix_isAPermanentNotifiedFailure(String source) {
        f = new ExportFixture(policy().sources("*").build());
        var snap = f.aws.addSnapshot("manual-1", source, "manual", "available", "postgres");

        assertThatThrownBy(() -> f.created.handle(ExportFixture.createdEvent(snap.arn(), SnapshotCreated.Origin.MANUAL)))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("snapline.exports.analytics.prefix")
                .hasMessageContaining("{source}");
        assertThat(f.aws.startRequests).isEmpty();
        assertThat(f.aws.published).singleElement().satisfies(p -> assertThat(p.body())
                .contains("pipeline-error").contains("snapline.exports.analytics.prefix"));
    }

    @Test
    void anAwsBackupSnapshotWithoutSource_namesTheFallenBackValue() {
        f = new ExportFixture(policy().sources("*").kinds("aws-backup").build());
        // no DBInstanceIdentifier: the source falls back to the snapshot's own name
        var snap = f.aws.addSnapshot("awsbackup:job-1a2b3c4d", "", "awsbackup", "available", "postgres");

        assertThatThrownBy(() -> f.created.handle(ExportFixture.createdEvent(snap.arn(), SnapshotCreated.Origin.AWS_BACKUP)))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("'awsbackup:job-1a2b3c4d'");
    }

    @Test
    void aSnapshotWithoutCreationTime_takesTheEventsTimeForDate() throws Exception {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot("orders-manual", "orders", "manual", "available", "postgres");
        f.aws.snapshots.put(snap.arn(), new io.snapline.gateway.SnapshotGateway.SnapshotInfo(snap.identifier(), snap.arn(),
                snap.scope(), "orders", "manual", "available", null, "postgres", Map.of()));
        var event = new SnapshotCreated(new SnapshotRef("orders-manual", SnapshotRef.Scope.DB_SNAPSHOT,
                Optional.of(snap.arn()), Optional.empty()), SnapshotCreated.Origin.MANUAL, "RDS-EVENT-0042",
                Instant.parse("2023-07-04T12:00:00Z"), Map.of());

        f.created.handle(event);

        assertThat(f.aws.startRequests).singleElement().satisfies(r -> assertThat(r.prefix()).isEqualTo("rds/orders/2023/07/04"));
    }

    @Test
    void aBucketOfAnotherOwner_failsTheExportBeforeItStarts() {
        f = new ExportFixture(policy().bucketOwnerAccount("333333333333").build());
        f.aws.bucketOwners.put("exports-bucket", "444444444444");
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres");

        assertThatThrownBy(() -> f.created.handle(event(snap.arn()))).isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("bucket exports-bucket is not owned by account 333333333333")
                .hasMessageContaining("snapline.exports.analytics.bucket-owner-account");
        assertThat(f.aws.ownerChecks).containsExactly("exports-bucket@333333333333");
        assertThat(f.aws.startRequests).isEmpty();
    }

    @Test
    void withoutBucketOwnerAccount_noOwnerCheckIsMade() throws Exception {
        f = new ExportFixture(policy().build());
        var snap = f.aws.addSnapshot(SNAP, "orders", "automated", "available", "postgres");

        f.created.handle(event(snap.arn()));

        assertThat(f.aws.ownerChecks).isEmpty();
        assertThat(f.aws.startRequests).hasSize(1);
    }
}
