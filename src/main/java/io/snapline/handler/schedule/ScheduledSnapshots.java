package io.snapline.handler.schedule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.snapline.config.Globs;
import io.snapline.config.SnapshotSchedule;
import io.snapline.error.PermanentProcessingException;
import io.snapline.error.RetryableProcessingException;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.SnapshotCreationGateway;
import io.snapline.gateway.SnapshotCreationGateway.CreateResult;
import io.snapline.gateway.SnapshotCreationGateway.SourceInfo;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.handler.Outcome;
import io.snapline.handler.step.Step;
import io.snapline.handler.step.StepResult;
import io.snapline.handler.step.StepRunner;
import io.snapline.message.Arn;
import io.snapline.message.SafeText;
import io.snapline.message.SnapshotRef;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes one slot's snapshots of one schedule: resolves the sources against what exists, then per
 * source one step {@code snapshot#<policy>#<source>#<slot>} (clusters: {@code snapshot#<policy>#cluster:<source>#<slot>})
 * through the {@link StepRunner}, so a retried, duplicated or re-published tick makes one snapshot:
 * <ul>
 *   <li>CreateDB[Cluster]Snapshot, named by {@link SnapshotIdentifiers}, tagged on create with the
 *       management tag, {@code snapline:policy} and {@code snapline:slot} → DONE;</li>
 *   <li>already exists → ALREADY_DONE, once the existing snapshot is confirmed to be of the same source
 *       (of another source: a permanent failure, since the name is taken);</li>
 *   <li>the source busy ({@code InvalidDBInstanceState}, {@code InvalidDBClusterStateFault}) → re-checked
 *       after {@link #BUSY_RECHECK} by the delayed queue message, as often as {@code snapline.queue.recheck-max-attempts};</li>
 *   <li>the source gone, or the quota used up → a permanent failure of that source's step, notified once;
 *       the other sources go on.</li>
 * </ul>
 * A step is shown in {@code /pipelines} in the pipeline of the snapshot's ARN (its source's region and
 * account), the one the snapshot's "created" event, export and pruning continue, so one snapshot reads as
 * one pipeline; a source that does not exist has no ARN, and its failed step is shown under the
 * snapshot's identifier.
 */
@Singleton
public class ScheduledSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledSnapshots.class);
    /** How long a busy source is left before the next try. */
    static final Duration BUSY_RECHECK = Duration.ofMinutes(5);
    /** How long a snapshot that exists but cannot be described yet is left. */
    static final Duration DESCRIBE_RECHECK = Duration.ofSeconds(30);

    private final Gateways gateways;
    private final StepRunner runner;
    private final ScheduleNotifier notifier;
    private final ManualSnapshotGauge gauge;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ScheduledSnapshots(Gateways gateways, StepRunner runner, ScheduleNotifier notifier, ManualSnapshotGauge gauge,
                              MeterRegistry meters) {
        this.gateways = gateways;
        this.runner = runner;
        this.notifier = notifier;
        this.gauge = gauge;
        this.meters = meters;
    }

    /** One source to snapshot; {@code sourceArn} empty when the source was not found. */
    record Target(SnapshotRef.Scope scope, String sourceId, Optional<String> sourceArn) {
        String stepSource() {
            return scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? "cluster:" + sourceId : sourceId;
        }

        /**
         * The pipeline of the snapshot {@code identifier} of this source: the snapshot's ARN, in the
         * source's region and account, as RDS's events and the export pipeline name it; the identifier
         * when the source's ARN is unknown.
         */
        String pipelineId(String identifier) {
            return sourceArn.flatMap(Arn::parse)
                    .map(a -> Arn.rds(a.region(), a.account(),
                            scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? "cluster-snapshot" : "snapshot", identifier)
                            .toString())
                    .orElse(identifier);
        }
    }

    /** The step key of one source's snapshot at one slot. */
    static String stepKey(String policy, Target t, Instant slot) {
        return "snapshot#" + policy + "#" + t.stepSource() + "#" + slot;
    }

    /**
     * Runs the slot's snapshots for every source: each step once, whatever the caller's retries.
     *
     * @param only when present, only the targets (scope, identifier) it accepts (catch-up: those without a snapshot)
     */
    public Outcome runSlot(SnapshotSchedule schedule, Instant slot,
                          Optional<java.util.function.BiPredicate<SnapshotRef.Scope, String>> only) {
        SnapshotCreationGateway creation = gateways.snapshotCreation(AwsAccess.DEFAULT);
        List<String> notes = new ArrayList<>();
        List<Target> targets = resolve(schedule, creation, notes);
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        Duration wait = null;
        RuntimeException retry = null;
        Set<SnapshotRef.Scope> touched = EnumSet.noneOf(SnapshotRef.Scope.class);
        for (Target t : targets) {
            String identifier = SnapshotIdentifiers.forSlot(schedule.namePrefix(), t.sourceId(), slot, schedule.zone(),
                    t.scope());
            if (only.isPresent() && !only.get().test(t.scope(), identifier)) {
                continue;
            }
            Step step = Step.of(stepKey(schedule.name(), t, slot), "snapshot", schedule.name(), t.pipelineId(identifier),
                    identifier,
                    notifier.snapshotFailed(schedule, t.sourceId(), identifier, slot.toString()));
            try {
                Outcome o = runner.run(step, () -> create(schedule, creation, t, identifier, slot));
                switch (o.status()) {
                    case DONE -> {
                        touched.add(t.scope());
                        done.add(identifier);
                    }
                    case ALREADY_DONE, SKIPPED -> done.add(identifier + " (" + o.label() + ": " + o.reason() + ")");
                    case ALREADY_FAILED -> failed.add(identifier + ": " + o.reason());
                    case RECHECK_LATER -> {
                        waiting.add(identifier + ": " + o.reason());
                        Duration after = o.recheckAfter().orElse(BUSY_RECHECK);
                        wait = wait == null || after.compareTo(wait) < 0 ? after : wait;
                    }
                }
            } catch (PermanentProcessingException e) {
                failed.add(identifier + ": " + e.getMessage());
            } catch (RuntimeException e) {
                waiting.add(identifier + ": retrying: " + SafeText.of(e.toString(), 300));
                retry = retry == null ? e : retry;
            }
        }
        touched.forEach(gauge::refresh);
        String summary = "snapshot policy " + schedule.name() + " slot " + slot + ": " + targets.size() + " source(s)"
                + (done.isEmpty() ? "" : "; done: " + String.join(", ", done))
                + (failed.isEmpty() ? "" : "; failed: " + String.join("; ", failed))
                + (waiting.isEmpty() ? "" : "; not yet: " + String.join("; ", waiting))
                + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        if (retry != null) {
            throw new RetryableProcessingException(SafeText.of(summary, 4000), retry);
        }
        if (wait != null) {
            return Outcome.recheckLater(wait, summary);
        }
        if (!failed.isEmpty() && done.isEmpty()) {
            throw new PermanentProcessingException(SafeText.of(summary, 4000));
        }
        if (targets.isEmpty()) {
            count(schedule.name(), "no_sources");
            LOG.warn(summary);
            return Outcome.skipped(summary);
        }
        return Outcome.done(summary);
    }

    private StepResult create(SnapshotSchedule schedule, SnapshotCreationGateway creation, Target t, String identifier,
                              Instant slot) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(schedule.tagKey(), schedule.tagValue());
        tags.put(SnapshotSchedule.POLICY_TAG, schedule.name());
        tags.put(SnapshotSchedule.SLOT_TAG, slot.toString());
        CreateResult r = creation.create(t.scope(), identifier, t.sourceId(), tags);
        String what = kind(t.scope()) + " " + identifier + " of " + t.sourceId() + " for slot " + slot;
        return switch (r.status()) {
            case CREATED -> StepResult.done(r.arn().orElse(identifier), "creating " + what);
            case ALREADY_EXISTS -> {
                Optional<SnapshotInfo> existing = gateways.snapshots(AwsAccess.DEFAULT).describe(t.scope(), identifier);
                if (existing.isEmpty()) {
                    yield StepResult.waiting(DESCRIBE_RECHECK, what + ": RDS says it exists but does not describe it "
                            + "yet; looking again");
                }
                if (!t.sourceId().equalsIgnoreCase(existing.get().sourceId())) {
                    throw new PermanentProcessingException(what + ": the identifier is taken by a snapshot of "
                            + SafeText.of(existing.get().sourceId(), 200) + "; rename or delete that snapshot, or change "
                            + "snapline.snapshots." + schedule.name() + ".name-prefix");
                }
                yield StepResult.alreadyDone(existing.get().arn(), what + " exists already (same source)");
            }
            case SOURCE_NOT_READY -> StepResult.waiting(BUSY_RECHECK, what + ": the source is busy ("
                    + SafeText.of(r.detail(), 500) + "); trying again in " + BUSY_RECHECK.toMinutes() + " minutes");
            case SOURCE_NOT_FOUND -> throw new PermanentProcessingException(what + ": the source no longer exists ("
                    + SafeText.of(r.detail(), 500) + "); remove it from snapline.snapshots." + schedule.name() + ".sources");
            case QUOTA_EXCEEDED -> throw new PermanentProcessingException(what + ": the region's manual snapshot quota is "
                    + "used up (" + SafeText.of(r.detail(), 500) + "; " + gauge.last(t.scope()).stream()
                    .mapToObj(n -> n + " of " + gauge.quota() + " counted").findFirst().orElse("quota " + gauge.quota())
                    + "); delete old manual snapshots (a snapline.retention policy) or ask AWS to raise the quota");
        };
    }

    private static String kind(SnapshotRef.Scope scope) {
        return scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? "cluster snapshot" : "snapshot";
    }

    /**
     * The sources of the schedule as they exist now: an exact name is described (instance first, then
     * cluster, by the scope); a glob is matched against the listing. An exact name that exists nowhere
     * still becomes a target, so that its step fails, recorded and notified, for that source only.
     */
    List<Target> resolve(SnapshotSchedule schedule, SnapshotCreationGateway creation, List<String> notes) {
        List<Target> out = new ArrayList<>();
        Map<SnapshotRef.Scope, List<SourceInfo>> listed = new LinkedHashMap<>();
        List<SnapshotRef.Scope> scopes = new ArrayList<>();
        if (schedule.coversInstances()) {
            scopes.add(SnapshotRef.Scope.DB_SNAPSHOT);
        }
        if (schedule.coversClusters()) {
            scopes.add(SnapshotRef.Scope.CLUSTER_SNAPSHOT);
        }
        for (String pattern : schedule.sources()) {
            if (Globs.isGlob(pattern)) {
                int before = out.size();
                for (SnapshotRef.Scope scope : scopes) {
                    for (SourceInfo s : listed.computeIfAbsent(scope, creation::sources)) {
                        Target t = new Target(scope, s.identifier(), Optional.ofNullable(s.arn()));
                        if (Globs.matches(pattern, s.identifier()) && !out.contains(t)) {
                            out.add(t);
                        }
                    }
                }
                if (out.size() == before) {
                    notes.add("no source matches " + pattern);
                }
                continue;
            }
            Optional<Target> found = Optional.empty();
            for (SnapshotRef.Scope scope : scopes) {
                Optional<SourceInfo> source = creation.source(scope, pattern);
                if (source.isPresent()) {
                    found = Optional.of(new Target(scope, pattern, Optional.ofNullable(source.get().arn())));
                    break;
                }
            }
            Target t = found.orElse(new Target(scopes.get(0), pattern, Optional.empty()));
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    void count(String policy, String reason) {
        counters.computeIfAbsent(policy + "|" + reason, k -> Counter.builder("snapline.snapshot.ticks.skipped")
                .description("snapshot ticks not executed, by reason").tag("policy", policy).tag("reason", reason)
                .register(meters)).increment();
    }
}
