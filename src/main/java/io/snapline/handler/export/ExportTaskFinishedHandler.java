package io.snapline.handler.export;

import io.snapline.config.ExportPolicies;
import io.snapline.config.ExportPolicy;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.handler.MessageHandler;
import io.snapline.handler.Outcome;
import io.snapline.ledger.Ledger;
import io.snapline.message.ExportTaskFinished;
import io.snapline.message.SnapshotRef;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An export task of a snapshot reached a terminal state. The event names the snapshot, not the
 * task: the tasks are found with DescribeExportTasks filtered by the source ARN, and Snapline's own
 * are recognised by their deterministic ids, current or from before region and account were hashed
 * into them (tasks started by anyone else are ignored). Each of ours
 * that is terminal is carried on by {@link ExportPipeline#afterExport}; when the event says an
 * export finished but none of ours is terminal yet, or our kickoff claimed a task that RDS does not
 * list yet (DescribeExportTasks lags, or the kickoff is still in flight), the message is re-checked
 * later.
 */
@Singleton
public class ExportTaskFinishedHandler implements MessageHandler<ExportTaskFinished> {

    static final Duration LAG_RECHECK = Duration.ofMinutes(1);
    /** While another policy's export of the same snapshot still runs; exports take minutes to hours. */
    static final Duration RUNNING_RECHECK = Duration.ofMinutes(10);

    private final ExportPolicies policies;
    private final Gateways gateways;
    private final Ledger ledger;
    private final ExportPipeline pipeline;

    public ExportTaskFinishedHandler(ExportPolicies policies, Gateways gateways, Ledger ledger, ExportPipeline pipeline) {
        this.policies = policies;
        this.gateways = gateways;
        this.ledger = ledger;
        this.pipeline = pipeline;
    }

    @Override
    public Class<ExportTaskFinished> messageType() {
        return ExportTaskFinished.class;
    }

    @Override
    public Outcome handle(ExportTaskFinished event) {
        SnapshotRef ref = event.source();
        Map<AwsAccess, List<ExportPolicy>> byAccess = new LinkedHashMap<>();
        for (ExportPolicy p : policies.all()) {
            if (p.sourceAccountId().isEmpty() || ref.accountId().isEmpty() || p.sourceAccountId().equals(ref.accountId())) {
                byAccess.computeIfAbsent(p.sourceAccess(), a -> new ArrayList<>()).add(p);
            }
        }
        if (byAccess.isEmpty()) {
            return Outcome.skipped("no export policy could have exported " + ref.id());
        }
        List<Map.Entry<ExportPolicy, ExportTask>> ours = new ArrayList<>();
        List<String> expectedButMissing = new ArrayList<>();
        boolean arnFound = false;
        for (Map.Entry<AwsAccess, List<ExportPolicy>> group : byAccess.entrySet()) {
            Optional<String> arn = ref.arn().or(() -> resolveArn(group.getKey(), ref));
            if (arn.isEmpty()) {
                continue;
            }
            arnFound = true;
            List<ExportTask> tasks = gateways.exports(group.getKey()).exportTasksForSource(arn.get());
            for (ExportTask task : tasks) {
                ExportPipeline.ownerOf(task, group.getValue()).ifPresent(p -> ours.add(Map.entry(p, task)));
            }
            for (ExportPolicy p : group.getValue()) {
                String taskId = pipeline.taskIdOf(p, arn.get());
                boolean claimed = ledger.operation(ExportSubject.exportKey(arn.get(), p.name()))
                        .filter(op -> !op.failed()).isPresent();
                if (claimed && tasks.stream().noneMatch(t -> t.taskId().equals(taskId))) {
                    expectedButMissing.add(taskId);
                }
            }
        }
        if (!arnFound) {
            return Outcome.skipped("snapshot " + ref.identifier() + " not found: cannot look its export tasks up");
        }
        if (ours.isEmpty() && !expectedButMissing.isEmpty()) {
            // Our kickoff is in flight or DescribeExportTasks lags behind it: look again shortly.
            return Outcome.recheckLater(LAG_RECHECK, "export task(s) " + String.join(", ", expectedButMissing)
                    + " claimed in the ledger but not listed by RDS yet");
        }
        if (ours.isEmpty()) {
            return Outcome.skipped("no Snapline export task for " + ref.id() + " (tasks of others are ignored)");
        }
        List<Map.Entry<ExportPolicy, ExportTask>> terminal = ours.stream().filter(e -> e.getValue().terminal()).toList();
        if (terminal.isEmpty()) {
            return Outcome.recheckLater(LAG_RECHECK, "the event says an export of " + ref.identifier() + " "
                    + event.status().name().toLowerCase(java.util.Locale.ROOT) + ", but no task of ours is terminal yet");
        }
        Outcomes outcomes = new Outcomes();
        for (Map.Entry<ExportPolicy, ExportTask> e : terminal) {
            try {
                outcomes.add(pipeline.afterExport(pipeline.subject(e.getKey(), e.getValue()), e.getValue()));
            } catch (RuntimeException ex) {
                outcomes.failed(ex);
            }
        }
        // RDS sends one event per task, but all name the snapshot, so a consumer that drops repeated
        // (snapshot, event id) pairs would drop the second policy's event: keep this message until
        // every export of ours of this snapshot has finished.
        ours.stream().filter(e -> !e.getValue().terminal()).forEach(e -> outcomes.add(Outcome.recheckLater(
                RUNNING_RECHECK, "export task " + e.getValue().taskId() + " (" + e.getKey().name() + ") is "
                        + e.getValue().status())));
        return outcomes.result();
    }

    private Optional<String> resolveArn(AwsAccess access, SnapshotRef ref) {
        if (ref.scope() == SnapshotRef.Scope.CLUSTER) {
            return Optional.empty();
        }
        return gateways.snapshots(access).describe(ref.scope(), ref.identifier()).map(SnapshotInfo::arn);
    }
}
