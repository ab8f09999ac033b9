package io.snapline.handler.export;

import io.snapline.testing.MutableClock;
import io.snapline.testing.TestLedger;
import io.snapline.config.ExportPolicies;
import io.snapline.config.ExportPolicy;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snapline.handler.ExportCompletedListener;
import io.snapline.handler.step.StepRunner;
import io.snapline.message.ExportTaskFinished;
import io.snapline.message.SnapshotCreated;
import io.snapline.message.SnapshotRef;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The export pipeline wired by hand over {@link InMemoryAws} and {@link TestLedger}. */
final class ExportFixture {

    static final Duration LEASE = Duration.ofMinutes(5);

    final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T00:00:00Z"));
    final TestLedger ledger = new TestLedger(clock);
    final InMemoryAws aws = new InMemoryAws(clock);
    final List<String> webhookPosts = new CopyOnWriteArrayList<>();
    final List<String> listenerCalls = new CopyOnWriteArrayList<>();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final StepRunner runner = new StepRunner(ledger, LEASE, meters, clock);
    final ExportPolicies policies;
    final Notifier notifier;
    final AclRewriter acl;
    final CrawlerStarter crawler;
    final ExportPipeline pipeline;
    final SnapshotCreatedHandler created;
    final ExportTaskFinishedHandler finished;
    final BatchJobStatusChangedHandler batchJobs;
    final CrawlerStateChangedHandler crawlerStates;
    final ReconcileAction reconcile;

    ExportFixture(ExportPolicy... policies) {
        this.policies = new ExportPolicies(List.of(policies));
        this.notifier = new Notifier(aws, (url, text) -> webhookPosts.add(url + " " + text), runner);
        this.acl = new AclRewriter(aws, ledger, runner, notifier);
        this.crawler = new CrawlerStarter(aws, ledger, runner, notifier, clock);
        ExportCompletedListener listener = (policy, source, task) -> listenerCalls.add(policy + "|" + source + "|" + task.taskId());
        this.pipeline = pipeline(List.of(listener));
        this.created = new SnapshotCreatedHandler(this.policies, aws, ledger, pipeline, clock);
        this.finished = new ExportTaskFinishedHandler(this.policies, aws, ledger, pipeline);
        this.batchJobs = new BatchJobStatusChangedHandler(this.policies, aws, ledger, pipeline);
        this.crawlerStates = new CrawlerStateChangedHandler(this.policies, aws, ledger, pipeline, crawler);
        this.reconcile = new ReconcileAction(this.policies, aws, ledger, pipeline, clock);
        for (ExportPolicy p : policies) {
            p.crawlerName().ifPresent(aws::crawler);
        }
    }

    /** A pipeline over this fixture's gateways, ledger and runner with other listeners. */
    ExportPipeline pipeline(List<ExportCompletedListener> listeners) {
        return new ExportPipeline(aws, ledger, runner, acl, crawler, notifier, listeners, meters);
    }

    /** A "snapshot created" event that happened now, by the fixture's clock. */
    SnapshotCreated createdNow(String arn, SnapshotCreated.Origin origin) {
        return new SnapshotCreated(new SnapshotRef(ExportTaskIds.identifierFromArn(arn), SnapshotRef.Scope.DB_SNAPSHOT,
                Optional.of(arn), Optional.of("us-east-1")), origin, "RDS-EVENT-0091", clock.instant(), Map.of());
    }

    /** The export-task counter of a policy and terminal status. */
    double exportTasks(String policy, String status) {
        var c = meters.find("snapline.export.tasks").tags("policy", policy, "status", status).counter();
        return c == null ? 0 : c.count();
    }

    static SnapshotCreated createdEvent(String arn, SnapshotCreated.Origin origin) {
        return new SnapshotCreated(new SnapshotRef(ExportTaskIds.identifierFromArn(arn), SnapshotRef.Scope.DB_SNAPSHOT,
                Optional.of(arn), Optional.of("us-east-1")), origin, "RDS-EVENT-0091", Instant.now(), Map.of());
    }

    static ExportTaskFinished finishedEvent(String arn, ExportTaskFinished.Status status) {
        return new ExportTaskFinished(new SnapshotRef(ExportTaskIds.identifierFromArn(arn), SnapshotRef.Scope.DB_SNAPSHOT,
                Optional.of(arn), Optional.of("us-east-1")), status, "RDS-EVENT-0161", Instant.now());
    }

    ExportTask onlyTask() {
        if (aws.tasks.size() != 1) {
            throw new AssertionError("expected one export task, found " + aws.tasks.keySet());
        }
        return aws.tasks.values().iterator().next();
    }

    void close() {
        acl.close();
    }
}
