package io.snapline.handler.copy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snapline.aws.AwsClientFactory;
import io.snapline.aws.FakeAwsFixture;
import io.snapline.aws.SdkGateways;
import io.snapline.config.AwsProperties;
import io.snapline.config.CopyPolicy;
import io.snapline.config.SnaplineProperties;
import io.snapline.error.PermanentProcessingException;
import io.snapline.fake.FakeAws;
import io.snapline.fake.FakeRds;
import io.snapline.fake.FakeSns;
import io.snapline.handler.Outcome;
import io.snapline.handler.step.StepRunner;
import io.snapline.ledger.Pipeline;
import io.snapline.ledger.StepState;
import io.snapline.message.SnapshotCreated;
import io.snapline.message.SnapshotRef;
import io.snapline.testing.MutableClock;
import io.snapline.testing.TestLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The copy step and its completion through the real SDK clients against the wire fakes: the service in
 * ap-northeast-1 (Tokyo), copies to us-east-1. Every error case of the copy has its test here.
 */
class SnapshotCopiesIT {

    static final String TOKYO = "ap-northeast-1";
    static final String VIRGINIA = "us-east-1";
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/dr-key";
    static final String TOPIC = "arn:aws:sns:ap-northeast-1:123456789012:snapline-copies";

    static {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T17:05:00Z"));
    FakeAws fake;
    AwsClientFactory factory;
    SdkGateways gateways;
    TestLedger ledger;
    SimpleMeterRegistry meters;

    @BeforeEach
    void start() {
        fake = new FakeAws();
        fake.rds().clock(clock);
        factory = new AwsClientFactory(new SnaplineProperties(false, TOKYO), new AwsProperties(fake.endpoint().toString()),
                FakeAwsFixture.queue("https://sqs.ap-northeast-1.amazonaws.com/123456789012/q"), Optional.empty());
        gateways = new SdkGateways(factory, factory.snsClient());
        ledger = new TestLedger(clock);
        meters = new SimpleMeterRegistry();
    }

    @AfterEach
    void stop() {
        factory.closeAll();
        fake.close();
    }

    static CopyPolicy policy(String kmsKey, String optionGroup) {
        return new CopyPolicy("tokyo-dr", List.of("orders-*"), "both", List.of(), VIRGINIA, kmsKey, optionGroup, true,
                "dr", null, 1, null, 20, TOPIC);
    }

    SnapshotCopies copies(CopyPolicy... policies) {
        StepRunner runner = new StepRunner(ledger, Duration.ofSeconds(30), meters, clock);
        return new SnapshotCopies(List.of(policies), gateways, runner, ledger, new CopyNotifier(gateways), clock, meters);
    }

    FakeRds.Snapshot source(String identifier) {
        return fake.rds().addDbSnapshotInRegion(TOKYO, identifier, "orders-db").createdAt(clock.instant())
                .tag("snapline:managed", "true").tag("snapline:policy", "tokyo-dr").tag("snapline:slot", "2026-12-01T17:00:00Z");
    }

    SnapshotCreated created(FakeRds.Snapshot s) {
        return new SnapshotCreated(new SnapshotRef(s.identifier(), SnapshotRef.Scope.DB_SNAPSHOT, Optional.of(s.arn()),
                Optional.of(TOKYO)), SnapshotCreated.Origin.MANUAL, "RDS-EVENT-0042", clock.instant(), Map.of());
    }

    SnapshotCreated copyFinished(FakeRds.Snapshot target) {
        return new SnapshotCreated(new SnapshotRef(target.identifier(), SnapshotRef.Scope.DB_SNAPSHOT,
                Optional.of(target.arn()), Optional.of(VIRGINIA)), SnapshotCreated.Origin.COPY, "RDS-EVENT-0060",
                clock.instant(), Map.of());
    }

    List<FakeSns.Message> notices() {
        return fake.sns().messages(TOPIC);
    }

    @Test
    void copy_isMadeInTheDestinationRegion_withTheSourceArnAndAPresignedUrl_neverSourceRegionOnTheWire() {
        FakeRds.Snapshot src = source("snapline-tokyo-orders-db-20261202-0200");

        Outcome o = copies(policy(KEY, null)).snapshotCreated(created(src));

        assertThat(o.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(fake.rds().copyCalls()).hasSize(1);
        FakeRds.CopyCall call = fake.rds().copyCalls().get(0);
        assertThat(call.region()).isEqualTo(VIRGINIA);
        assertThat(call.params()).containsEntry("SourceDBSnapshotIdentifier", src.arn())
                .containsEntry("TargetDBSnapshotIdentifier", "dr-snapline-tokyo-orders-db-20261202-0200")
                .containsEntry("KmsKeyId", KEY).containsEntry("CopyTags", "true").doesNotContainKey("SourceRegion");
        String presigned = URLDecoder.decode(call.params().get("PreSignedUrl"), StandardCharsets.UTF_8);
        assertThat(presigned).startsWith("https://rds.ap-northeast-1.amazonaws.com")
                .contains("Action=CopyDBSnapshot").contains("DestinationRegion=us-east-1")
                .contains("X-Amz-Credential=test/").contains("/ap-northeast-1/rds/aws4_request");
        FakeRds.Snapshot target = fake.rds().snapshotIn(VIRGINIA, "dr-snapline-tokyo-orders-db-20261202-0200").orElseThrow();
        assertThat(target.status()).isEqualTo("copying");
        assertThat(target.tags()).containsEntry("snapline:managed", "true").containsEntry(CopyPolicy.POLICY_TAG, "tokyo-dr")
                .containsEntry(CopyPolicy.COPY_OF_TAG, src.arn()).containsEntry("snapline:slot", "2026-12-01T17:00:00Z");
        Pipeline.Step step = ledger.pipeline(src.arn()).orElseThrow().steps().stream()
                .filter(s -> s.name().equals("copy:tokyo-dr")).findFirst().orElseThrow();
        assertThat(step.state()).isEqualTo(StepState.STARTED);
        assertThat(step.detail()).contains(target.arn()).contains(VIRGINIA);
    }

    @Test
    void duplicateEvent_isAlreadyDone_andMakesNoSecondCopyCall() {
        FakeRds.Snapshot src = source("snapline-tokyo-orders-db-20261202-0200");
        SnapshotCopies copies = copies(policy(KEY, null));
        copies.snapshotCreated(created(src));

        Outcome again = copies.snapshotCreated(created(src));

        assertThat(again.status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(fake.rds().copyCalls()).hasSize(1);
    }

    @Test
    void targetThatExists_isAlreadyDone_whenItIsACopyOfTheSameSource_evenWithTheLedgerLost() {
        FakeRds.Snapshot src = source("snapline-tokyo-orders-db-20261202-0200");
        copies(policy(KEY, null)).snapshotCreated(created(src));
        ledger = new TestLedger(clock); // a fresh ledger: the step is not known, RDS answers "already exists"

        Outcome o = copies(policy(KEY, null)).snapshotCreated(created(src));

        assertThat(o.status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(fake.rds().copyCalls()).hasSize(2);
        assertThat(fake.rds().snapshotsIn(VIRGINIA)).hasSize(1);
    }

    @Test
    void targetThatExists_failsPermanently_whenItIsNotACopyOfThatSource() {
        FakeRds.Snapshot src = source("snapline-tokyo-orders-db-20261202-0200");
        fake.rds().addDbSnapshot("dr-snapline-tokyo-orders-db-20261202-0200", "someone-else");

        assertThatThrownBy(() -> copies(policy(KEY, null)).snapshotCreated(created(src)))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("identifier is taken");
        assertThat(notices()).hasSize(1);
        assertThat(notices().get(0).body()).contains("copy-failed");
    }

    @Test
    void sourceNotAvailableYet_isRecheckedLater_thenCopied() {
        FakeRds.Snapshot src = source("snapline-tokyo-orders-db-20261202-0200").status("creating");
        SnapshotCopies copies = copies(policy(KEY, null));

        Outcome first = copies.snapshotCreated(created(src));

        assertThat(first.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(first.recheckAfter()).contains(SnapshotCopies.SOURCE_RECHECK);
        assertThat(fake.rds().copyCalls()).isEmpty();
        src.status("available");
        assertThat(copies.snapshotCreated(created(src)).status()).isEqualTo(Outcome.Status.DONE);
        assertThat(fake.rds().copyCalls()).hasSize(1);
    }

    @Test
    void copyLimitOfTheDestination_isRecheckedLater_byItsCode_whateverTheLimit() {
        fake.rds().copyLimit(5); // the older documents' figure; the service counts nothing itself
        SnapshotCopies copies = copies(policy(KEY, null));
        for (int i = 0; i < 5; i++) {
            copies.snapshotCreated(created(source("orders-db-manual-" + i)));
        }
        FakeRds.Snapshot sixth = source("orders-db-manual-5");

        Outcome o = copies.snapshotCreated(created(sixth));

        assertThat(o.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(o.recheckAfter()).contains(SnapshotCopies.LIMIT_RECHECK);
        assertThat(o.reason()).contains("limit of copies in progress");
        fake.rds().finishCopy(VIRGINIA, "dr-orders-db-manual-0");
        assertThat(copies.snapshotCreated(created(sixth)).status()).isEqualTo(Outcome.Status.DONE);
    }

    @Test
    void manualSnapshotQuotaOfTheDestination_failsPermanently_notRechecked() {
        fake.rds().manualSnapshotQuota(0);
        FakeRds.Snapshot src = source("orders-db-manual-1");

        assertThatThrownBy(() -> copies(policy(KEY, null)).snapshotCreated(created(src)))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("manual snapshot quota");
    }

    @Test
    void encryptedSourceWithoutDestinationKey_failsPermanently_namingTheKeyToSet_withoutCallingCopy() {
        FakeRds.Snapshot src = source("orders-db-manual-1");

        assertThatThrownBy(() -> copies(policy(null, null)).snapshotCreated(created(src)))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("snapline.copies.tokyo-dr.destination-kms-key-id").hasMessageContaining(VIRGINIA);
        assertThat(fake.rds().copyCalls()).isEmpty();
        assertThat(notices()).hasSize(1);
        // a duplicate neither calls nor notifies again
        copies(policy(null, null)).snapshotCreated(created(src));
        assertThat(notices()).hasSize(1);
    }

    @Test
    void unencryptedSource_isCopiedWithoutAKey() {
        FakeRds.Snapshot src = source("orders-db-manual-1").encrypted(false);

        copies(policy(null, null)).snapshotCreated(created(src));

        assertThat(fake.rds().copyCalls().get(0).params()).doesNotContainKey("KmsKeyId");
    }

    @Test
    void kmsKeyNotAccessible_failsPermanently_andIsNotifiedOnce() {
        fake.rds().inaccessibleKmsKey(KEY);
        FakeRds.Snapshot src = source("orders-db-manual-1");

        assertThatThrownBy(() -> copies(policy(KEY, null)).snapshotCreated(created(src)))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("KMSKeyNotAccessibleFault")
                .hasMessageContaining("kms:CreateGrant");
        assertThat(notices()).singleElement().satisfies(n -> assertThat(n.body()).contains("copy-failed"));
        assertThat(ledger.pipeline(src.arn()).orElseThrow().steps()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("copy:tokyo-dr");
            assertThat(s.state()).isEqualTo(StepState.FAILED);
        });
    }

    @Test
    void nonDefaultOptionGroupWithoutOptionGroupSetting_failsPermanently_namingTheKey() {
        FakeRds.Snapshot src = source("orders-db-manual-1").optionGroup("orders-og");

        assertThatThrownBy(() -> copies(policy(KEY, null)).snapshotCreated(created(src)))
                .isInstanceOf(PermanentProcessingException.class)
                .hasMessageContaining("snapline.copies.tokyo-dr.option-group");
        assertThat(fake.rds().copyCalls()).isEmpty();
    }

    @Test
    void optionGroupMissingInTheDestination_failsPermanently() {
        FakeRds.Snapshot src = source("orders-db-manual-1").optionGroup("orders-og");

        assertThatThrownBy(() -> copies(policy(KEY, "orders-og-dr")).snapshotCreated(created(src)))
                .isInstanceOf(PermanentProcessingException.class).hasMessageContaining("OptionGroupNotFoundFault");
    }

    @Test
    void optionGroupThatExistsInTheDestination_isPassed() {
        fake.rds().addOptionGroup(VIRGINIA, "orders-og-dr");
        FakeRds.Snapshot src = source("orders-db-manual-1").optionGroup("orders-og");

        copies(policy(KEY, "orders-og-dr")).snapshotCreated(created(src));

        assertThat(fake.rds().copyCalls().get(0).params()).containsEntry("OptionGroupName", "orders-og-dr");
    }

    @Test
    void automatedSource_getsATargetWithoutTheRdsPrefix_andAHash() {
        FakeRds.Snapshot src = fake.rds().addDbSnapshotInRegion(TOKYO, "rds:orders-db-2026-12-01-17-00", "orders-db");
        SnapshotCreated event = new SnapshotCreated(new SnapshotRef(src.identifier(), SnapshotRef.Scope.DB_SNAPSHOT,
                Optional.of(src.arn()), Optional.of(TOKYO)), SnapshotCreated.Origin.AUTOMATED, "RDS-EVENT-0091",
                clock.instant(), Map.of());

        copies(policy(KEY, null)).snapshotCreated(event);

        String target = fake.rds().copyCalls().get(0).params().get("TargetDBSnapshotIdentifier");
        assertThat(target).startsWith("dr-rds-orders-db-2026-12-01-17-00-h").doesNotContain(":");
        assertThat(target).isEqualTo(CopyIdentifiers.forSource("dr", src.identifier(), SnapshotRef.Scope.DB_SNAPSHOT));
    }

    @Test
    void kindsNotSelected_areNotCopied() {
        CopyPolicy onlyAutomated = new CopyPolicy("tokyo-dr", List.of("orders-*"), "both", List.of("automated"), VIRGINIA,
                KEY, null, true, "dr", null, 1, null, 20, TOPIC);
        FakeRds.Snapshot src = source("snapline-tokyo-orders-db-20261202-0200");

        Outcome o = copies(onlyAutomated).snapshotCreated(created(src));

        assertThat(o.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(fake.rds().copyCalls()).isEmpty();
    }

    @Test
    void copyFinishedEvent_recordsCopyFinishedOnTheSourcePipeline_andNotifiesOnce_andIsNeverCopiedAgain() {
        FakeRds.Snapshot src = source("snapline-tokyo-orders-db-20261202-0200");
        SnapshotCopies copies = copies(policy(KEY, null));
        copies.snapshotCreated(created(src));
        fake.rds().finishCopy(VIRGINIA, "dr-snapline-tokyo-orders-db-20261202-0200");
        FakeRds.Snapshot target = fake.rds().snapshotIn(VIRGINIA, "dr-snapline-tokyo-orders-db-20261202-0200").orElseThrow();

        Outcome finished = copies.snapshotCreated(copyFinished(target));
        Outcome duplicate = copies.snapshotCreated(copyFinished(target));

        assertThat(finished.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(duplicate.status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(fake.rds().copyCalls()).hasSize(1);
        assertThat(notices()).singleElement().satisfies(n -> assertThat(n.body()).contains("copy-completed")
                .contains(target.arn()));
        Pipeline pipeline = ledger.pipeline(src.arn()).orElseThrow();
        assertThat(pipeline.steps()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("copy:tokyo-dr");
            assertThat(s.state()).isEqualTo(StepState.DONE);
            assertThat(s.detail()).contains("copy finished").contains(target.arn()).contains(VIRGINIA);
        });
    }

    @Test
    void copyOfAnotherTool_inTheDestination_isNotRecorded_norCopied() {
        FakeRds.Snapshot foreign = fake.rds().addDbSnapshot("someone-elses-copy", "orders-db");

        Outcome o = copies(policy(KEY, null)).snapshotCreated(copyFinished(foreign));

        assertThat(o.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(fake.rds().copyCalls()).isEmpty();
        assertThat(notices()).isEmpty();
    }

    @Test
    void snapshotTaggedAsACopy_inTheServiceRegion_isNeverCopiedAgain() {
        FakeRds.Snapshot src = source("dr-looped").tag(CopyPolicy.COPY_OF_TAG, "arn:aws:rds:eu-west-1:123456789012:snapshot:x");

        Outcome o = copies(policy(KEY, null)).snapshotCreated(created(src));

        assertThat(o.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(fake.rds().copyCalls()).isEmpty();
    }

    @Test
    void sourceGone_isRecheckedWithinTheGrace_thenSkippedWithTheReason() {
        SnapshotCreated event = new SnapshotCreated(new SnapshotRef("orders-db-gone", SnapshotRef.Scope.DB_SNAPSHOT,
                Optional.of("arn:aws:rds:ap-northeast-1:123456789012:snapshot:orders-db-gone"), Optional.of(TOKYO)),
                SnapshotCreated.Origin.MANUAL, "RDS-EVENT-0042", clock.instant(), Map.of());
        SnapshotCopies copies = copies(policy(KEY, null));

        assertThat(copies.snapshotCreated(event).status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        clock.advance(Duration.ofMinutes(16));
        Outcome later = copies.snapshotCreated(event);

        assertThat(later.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(later.reason()).contains("not found").contains("not copied");
    }

    CopyReconcile reconcile(SnapshotCopies copies, CopyPolicy p) {
        return new CopyReconcile(List.of(p), copies, gateways, ledger, new CopyNotifier(gateways));
    }

    static io.snapline.message.Command reconcileCommand() {
        return new io.snapline.message.Command("reconcile", Map.of(), false, Optional.empty());
    }

    @Test
    void reconcile_copiesASourceWhoseEventWasLost_thenRecordsTheCopyFinishedWhoseEventWasLost() {
        FakeRds.Snapshot src = source("snapline-tokyo-orders-db-20261202-0200");
        CopyPolicy p = policy(KEY, null);
        SnapshotCopies copies = copies(p);

        String first = reconcile(copies, p).reconcile(reconcileCommand());

        assertThat(first).contains("re-driven 1");
        assertThat(fake.rds().copyCalls()).hasSize(1);
        fake.rds().finishCopy(VIRGINIA, "dr-snapline-tokyo-orders-db-20261202-0200");
        String second = reconcile(copies, p).reconcile(reconcileCommand());

        assertThat(second).contains("recorded finished 1").contains("re-driven 0");
        assertThat(notices()).singleElement().satisfies(n -> assertThat(n.body()).contains("copy-completed"));
        assertThat(ledger.pipeline(src.arn()).orElseThrow().steps()).anySatisfy(st -> {
            assertThat(st.name()).isEqualTo("copy:tokyo-dr");
            assertThat(st.detail()).contains("copy finished");
        });
        // a finished copy that is gone later (pruned) is never copied again
        fake.rds().clearSnapshotsIn(VIRGINIA);
        assertThat(reconcile(copies, p).reconcile(reconcileCommand())).contains("re-driven 0");
        assertThat(fake.rds().copyCalls()).hasSize(1);
    }

    @Test
    void reconcile_reDrivesACanceledCopy_andNotifiesTheFailureFirst() {
        FakeRds.Snapshot src = source("snapline-tokyo-orders-db-20261202-0200");
        CopyPolicy p = policy(KEY, null);
        SnapshotCopies copies = copies(p);
        copies.snapshotCreated(created(src));
        fake.rds().cancelCopy(VIRGINIA, "dr-snapline-tokyo-orders-db-20261202-0200"); // RDS-EVENT-0061

        String summary = reconcile(copies, p).reconcile(reconcileCommand());

        assertThat(summary).contains("re-driven 1");
        assertThat(fake.rds().copyCalls()).hasSize(2);
        assertThat(fake.rds().snapshotIn(VIRGINIA, "dr-snapline-tokyo-orders-db-20261202-0200")).isPresent();
        assertThat(notices()).singleElement().satisfies(n -> assertThat(n.body()).contains("copy-failed")
                .contains("canceled or failed"));
    }

    @Test
    void reconcile_reDrivesAtMostTenPerPolicyARun() {
        for (int i = 0; i < 12; i++) {
            source("orders-db-manual-" + i).createdAt(clock.instant().minusSeconds(i));
        }
        CopyPolicy p = policy(KEY, null);

        String summary = reconcile(copies(p), p).reconcile(reconcileCommand());

        assertThat(fake.rds().copyCalls()).hasSize(CopyReconcile.MAX_REDRIVES_PER_POLICY);
        assertThat(summary).contains("2 more missing left for the next run");
    }

    @Test
    void reconcile_dryRun_listsButCopiesNothing() {
        source("orders-db-manual-1");
        CopyPolicy p = policy(KEY, null);

        String summary = reconcile(copies(p), p).reconcile(new io.snapline.message.Command("reconcile", Map.of(), true,
                Optional.empty()));

        assertThat(summary).contains("would re-drive 1");
        assertThat(fake.rds().copyCalls()).isEmpty();
    }

    @Test
    void clusterSnapshot_isCopiedWithCopyDBClusterSnapshot_inTheDestination() {
        FakeRds.Snapshot src = fake.rds().addClusterSnapshotInRegion(TOKYO, "orders-aurora-manual-1", "orders-aurora");
        SnapshotCreated event = new SnapshotCreated(new SnapshotRef(src.identifier(), SnapshotRef.Scope.CLUSTER_SNAPSHOT,
                Optional.of(src.arn()), Optional.of(TOKYO)), SnapshotCreated.Origin.MANUAL, "RDS-EVENT-0075",
                clock.instant(), Map.of());

        Outcome o = copies(policy(KEY, null)).snapshotCreated(event);

        assertThat(o.status()).isEqualTo(Outcome.Status.DONE);
        FakeRds.CopyCall call = fake.rds().copyCalls().get(0);
        assertThat(call.cluster()).isTrue();
        assertThat(call.region()).isEqualTo(VIRGINIA);
        assertThat(call.params()).containsEntry("SourceDBClusterSnapshotIdentifier", src.arn())
                .containsEntry("TargetDBClusterSnapshotIdentifier", "dr-orders-aurora-manual-1")
                .containsEntry("KmsKeyId", KEY).containsKey("PreSignedUrl").doesNotContainKey("SourceRegion");
        assertThat(fake.rds().snapshotIn(VIRGINIA, "dr-orders-aurora-manual-1")).get()
                .extracting(FakeRds.Snapshot::cluster).isEqualTo(true);
    }

    @Test
    void copyCanceledEvent_marksTheCopyFailed_notifiesOnce_andReconcileCopiesItAgain() {
        FakeRds.Snapshot src = source("snapline-tokyo-orders-db-20261202-0200");
        CopyPolicy p = policy(KEY, null);
        SnapshotCopies copies = copies(p);
        copies.snapshotCreated(created(src));
        FakeRds.Snapshot target = fake.rds().snapshotIn(VIRGINIA, "dr-snapline-tokyo-orders-db-20261202-0200").orElseThrow();
        fake.rds().cancelCopy(VIRGINIA, target.identifier());
        CopyCanceledHandler handler = new CopyCanceledHandler(List.of(p), gateways, ledger,
                new StepRunner(ledger, Duration.ofSeconds(30), meters, clock), new CopyNotifier(gateways));
        io.snapline.message.SnapshotCopyCanceled canceled = new io.snapline.message.SnapshotCopyCanceled(
                new SnapshotRef(target.identifier(), SnapshotRef.Scope.DB_SNAPSHOT, Optional.of(target.arn()),
                        Optional.of(VIRGINIA)), "RDS-EVENT-0061", clock.instant());

        Outcome first = handler.handle(canceled);
        Outcome duplicate = handler.handle(canceled);

        assertThat(first.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(duplicate.status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(notices()).singleElement().satisfies(n -> assertThat(n.body()).contains("copy-failed")
                .contains("canceled"));
        assertThat(ledger.pipeline(src.arn()).orElseThrow().steps()).anySatisfy(st -> {
            assertThat(st.name()).isEqualTo("copy:tokyo-dr");
            assertThat(st.state()).isEqualTo(StepState.FAILED);
        });

        assertThat(reconcile(copies, p).reconcile(reconcileCommand())).contains("re-driven 1");
        assertThat(fake.rds().copyCalls()).hasSize(2);
        assertThat(notices()).hasSize(1); // the failure was told once, by the cancel
    }

    @Test
    void copyCanceledEvent_ofACopyNoPolicyMade_isSkippedWithTheReason() {
        CopyCanceledHandler handler = new CopyCanceledHandler(List.of(policy(KEY, null)), gateways, ledger,
                new StepRunner(ledger, Duration.ofSeconds(30), meters, clock), new CopyNotifier(gateways));

        Outcome o = handler.handle(new io.snapline.message.SnapshotCopyCanceled(new SnapshotRef("someone-elses",
                SnapshotRef.Scope.DB_SNAPSHOT, Optional.of("arn:aws:rds:us-east-1:123456789012:snapshot:someone-elses"),
                Optional.of(VIRGINIA)), "RDS-EVENT-0061", clock.instant()));

        assertThat(o.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(o.reason()).contains("reconcile");
        assertThat(notices()).isEmpty();
    }

    @Test
    void copyWhoseAnswerWasLost_afterItWasApplied_isAlreadyDone_whenTheRetryMeetsItsOwnCopy() {
        FakeRds.Snapshot src = source("snapline-tokyo-orders-db-20261202-0200");
        // applied, then answered 500: the SDK retries and meets the copy it made
        fake.faults().onCall("CopyDBSnapshot", 1, io.snapline.fake.FakeFaults.Phase.AFTER_APPLIED, () -> {
            throw new IllegalStateException("the answer is lost");
        });

        Outcome o = copies(policy(KEY, null)).snapshotCreated(created(src));

        assertThat(o.status()).isEqualTo(Outcome.Status.ALREADY_DONE);
        assertThat(fake.rds().copyCalls()).hasSize(2);
        assertThat(fake.rds().snapshotsIn(VIRGINIA)).hasSize(1);
    }

    @Test
    void invalidSnapshotStateFromRds_isRecheckedLater_evenWhenDescribeSaidAvailable() {
        FakeRds.Snapshot src = source("orders-db-manual-1");
        fake.failNext("CopyDBSnapshot", "InvalidDBSnapshotState", 400);
        SnapshotCopies copies = copies(policy(KEY, null));

        Outcome o = copies.snapshotCreated(created(src));

        assertThat(o.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(o.recheckAfter()).contains(SnapshotCopies.SOURCE_RECHECK);
        assertThat(o.reason()).contains("InvalidDBSnapshotState");
        assertThat(copies.snapshotCreated(created(src)).status()).isEqualTo(Outcome.Status.DONE);
    }

    @Test
    void copyLimitAtAwsFigureOfTwenty_isRecheckedLaterToo() {
        SnapshotCopies copies = copies(policy(KEY, null));
        for (int i = 0; i < FakeRds.COPY_LIMIT; i++) {
            assertThat(copies.snapshotCreated(created(source("orders-db-manual-" + i))).status())
                    .isEqualTo(Outcome.Status.DONE);
        }

        Outcome o = copies.snapshotCreated(created(source("orders-db-manual-x")));

        assertThat(o.status()).isEqualTo(Outcome.Status.RECHECK_LATER);
        assertThat(o.reason()).contains("Cannot copy more than 20 snapshots");
    }
}
