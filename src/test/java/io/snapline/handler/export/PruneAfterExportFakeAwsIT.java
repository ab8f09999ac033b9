package io.snapline.handler.export;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snapline.handler.step.StepRunner;
import io.snapline.testing.TestLedger;
import io.snapline.aws.FakeAwsFixture;
import io.snapline.config.ExportPolicies;
import io.snapline.config.ExportPolicy;
import io.snapline.config.ExportRetentionProperties;
import io.snapline.config.PruneProperties;
import io.snapline.fake.FakeAws;
import io.snapline.fake.FakeRds;
import io.snapline.gateway.SnapshotGateway;
import io.snapline.handler.Outcome;
import io.snapline.handler.prune.DeleteRateLimiter;
import io.snapline.handler.prune.PruneOnExportCompleted;
import io.snapline.handler.prune.PrunePlans;
import io.snapline.handler.prune.Pruner;
import io.snapline.message.ExportTaskFinished;
import io.snapline.message.SnapshotCreated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.snapline.handler.export.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export pipeline and export retention together, over the real SDK gateways and FakeAws: with
 * {@code retention.keep-last: 1} ("latest only"), the second completed export of a source removes the
 * first one's objects, and the one crawl the pipeline starts afterwards sees only the new export.
 */
class PruneAfterExportFakeAwsIT {

    private static final String ACCT = FakeAws.ACCOUNT;

    private final FakeAwsFixture env = new FakeAwsFixture();
    private final FakeAws fake = env.fake();
    private final TestLedger ledger = new TestLedger(Clock.systemUTC());
    private SnapshotCreatedHandler created;
    private ExportTaskFinishedHandler finished;
    private AclRewriter acl;

    @AfterEach
    void close() {
        if (acl != null) {
            acl.close();
        }
        env.close();
    }

    private void wire(ExportPolicy p, ExportRetentionProperties retention) {
        ExportPolicies policies = new ExportPolicies(List.of(p));
        Duration lease = Duration.ofMinutes(5);
        StepRunner runner = new StepRunner(ledger, lease, new SimpleMeterRegistry(), Clock.systemUTC());
        Notifier notifier = new Notifier(env.gateways(), (u, t) -> { }, runner);
        acl = new AclRewriter(env.gateways(), ledger, runner, notifier);
        CrawlerStarter crawler = new CrawlerStarter(env.gateways(), ledger, runner, notifier, Clock.systemUTC());
        Pruner pruner = new Pruner(env.gateways(), ledger, List.of(), List.of(retention), PruneProperties.defaults(),
                false, new PrunePlans(), Clock.systemUTC(), new DeleteRateLimiter(1000));
        ExportPipeline pipeline = new ExportPipeline(env.gateways(), ledger, runner, acl, crawler, notifier,
                List.of(new PruneOnExportCompleted(pruner, List.of(retention))), new SimpleMeterRegistry());
        created = new SnapshotCreatedHandler(policies, env.gateways(), ledger, pipeline);
        finished = new ExportTaskFinishedHandler(policies, env.gateways(), ledger, pipeline);
    }

    private FakeRds.ExportTask exportOf(String snapshot, Instant created, int objects) throws Exception {
        String arn = fake.rds().addDbSnapshot(snapshot, "orders").createdAt(created).arn();
        assertThat(this.created.handle(ExportFixture.createdEvent(arn, SnapshotCreated.Origin.AUTOMATED)).status())
                .isEqualTo(Outcome.Status.DONE);
        FakeRds.ExportTask task = fake.rds().exportTasks().stream().filter(t -> t.sourceArn().equals(arn))
                .findFirst().orElseThrow();
        fake.rds().completeExport(task.taskId(), ACCT, objects);
        assertThat(finished.handle(ExportFixture.finishedEvent(arn, ExportTaskFinished.Status.COMPLETED)).status())
                .isEqualTo(Outcome.Status.DONE);
        return task;
    }

    @Test
    void latestOnly_theSecondExportRemovesTheFirst_andTheNextCrawlSeesOnlyTheNewOne() throws Exception {
        ExportPolicy p = policy().kmsKey("arn:aws:kms:us-east-1:" + ACCT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab")
                .exportRoleArn("arn:aws:iam::" + ACCT + ":role/rds-export").aclMode("none")
                .notificationTopic(null).build();
        ExportRetentionProperties retention = new ExportRetentionProperties(p.name(), p.bucket(), p.prefix(),
                p.sources(), p.crawler(), null, null, null, null, null, null,
                new ExportRetentionProperties.Retention(null, 1, 20));
        wire(p, retention);
        fake.s3().createBucket(p.bucket());
        fake.glue().addCrawler(p.crawler(), "s3://" + p.bucket() + "/rds/");

        FakeRds.ExportTask first = exportOf("rds:orders-2026-11-21-03-00", Instant.parse("2026-11-21T03:00:00Z"), 4);
        assertThat(fake.s3().keys(p.bucket(), first.folder())).hasSize(6);
        fake.glue().finishCrawl(p.crawler(), "SUCCEEDED");

        FakeRds.ExportTask second = exportOf("rds:orders-2026-11-22-03-00", Instant.parse("2026-11-22T03:00:00Z"), 3);

        assertThat(first.folder()).startsWith("rds/orders/2026/11/21/");
        assertThat(fake.s3().keys(p.bucket(), first.folder())).isEmpty();
        assertThat(fake.s3().keys(p.bucket(), second.folder())).hasSize(5);
        assertThat(fake.glue().crawls(p.crawler())).hasSize(2).last()
                .satisfies(c -> assertThat(c.objects()).hasSize(5)
                        .allMatch(o -> o.startsWith("s3://" + p.bucket() + "/" + second.folder())));
        assertThat(ledger.pipeline(first.sourceArn()).orElseThrow().steps())
                .anySatisfy(s -> assertThat(s.name()).isEqualTo("pruned-export:" + p.name()));
        assertThat(env.gateways().snapshots(io.snapline.gateway.AwsAccess.DEFAULT)
                .describe(io.snapline.message.SnapshotRef.Scope.DB_SNAPSHOT, "rds:orders-2026-11-21-03-00"))
                .map(SnapshotGateway.SnapshotInfo::identifier).isPresent();
    }
}
