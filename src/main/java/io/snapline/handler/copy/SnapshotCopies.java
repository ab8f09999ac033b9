package io.snapline.handler.copy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.snapline.config.CopyPolicy;
import io.snapline.config.SnapshotSchedule;
import io.snapline.error.PermanentProcessingException;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.SnapshotCopyGateway;
import io.snapline.gateway.SnapshotCopyGateway.CopyRequest;
import io.snapline.gateway.SnapshotCopyGateway.CopyResult;
import io.snapline.gateway.SnapshotCopyGateway.Snapshot;
import io.snapline.handler.Outcome;
import io.snapline.handler.SnapshotCreatedParticipant;
import io.snapline.handler.export.Outcomes;
import io.snapline.handler.step.Step;
import io.snapline.handler.step.StepResult;
import io.snapline.handler.step.StepRunner;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.StepState;
import io.snapline.message.Arn;
import io.snapline.message.SafeText;
import io.snapline.message.SnapshotCreated;
import io.snapline.message.SnapshotRef;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cross-region copies, "on snapshot created" (a {@link SnapshotCreatedParticipant} beside the exports):
 *
 * <p><b>A snapshot of the service's region became available</b> ({@code 0042}/{@code 0091}/{@code 0075}/
 * {@code 0169}, or an AWS Backup job): it is described in its region; for every copy policy whose sources
 * and kinds take it, one step {@code copy#<policy>#<source snapshot ARN>#<destination region>} through the
 * {@link StepRunner}, shown as {@code copy:<policy>} in the source snapshot's pipeline:
 * <ul>
 *   <li>{@code CopyDB[Cluster]Snapshot} in the destination region (source ARN, {@code sourceRegion} presigning,
 *       the target named by {@link CopyIdentifiers}, tagged with the management tag, {@value CopyPolicy#POLICY_TAG}
 *       and {@value CopyPolicy#COPY_OF_TAG}) → STARTED, detail naming the target ARN and region;</li>
 *   <li>the target exists → ALREADY_DONE once it is confirmed to be a copy of the same source (else a permanent
 *       failure: the name is taken);</li>
 *   <li>the source not {@code available} yet, or the destination's limit of copies in progress reached → re-checked
 *       by the delayed queue message, never slept;</li>
 *   <li>an encrypted source without {@code destination-kms-key-id}, a non-default option group without
 *       {@code option-group}, {@code KMSKeyNotAccessibleFault}, a missing option group, the destination's
 *       manual-snapshot quota → a permanent failure, notified once ("copy failed").</li>
 * </ul>
 *
 * <p><b>A copy finished</b> ({@code 0060}/{@code 0197}, {@link SnapshotCreated.Origin#COPY}, from the destination
 * region's event subscription): the target is described there; if a copy policy made it (its tags say which,
 * and of which source), step {@code copied#…} records "copy finished" on the source snapshot's pipeline and sends
 * "copy completed" once. A copy is never a source: an event of origin COPY, a snapshot outside the service's
 * region, or one tagged {@value CopyPolicy#COPY_OF_TAG} is never copied (no copy loops).
 */
@Singleton
public class SnapshotCopies implements SnapshotCreatedParticipant {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCopies.class);
    /** How long after its event a snapshot may still be missing from describe before it is given up. */
    static final Duration NOT_FOUND_GRACE = Duration.ofMinutes(15);
    static final Duration NOT_FOUND_RECHECK = Duration.ofMinutes(1);
    /** How long a source that is not available yet is left before the next try. */
    static final Duration SOURCE_RECHECK = Duration.ofMinutes(2);
    /** How long a copy waits when the destination's copies-in-progress limit is reached. */
    static final Duration LIMIT_RECHECK = Duration.ofMinutes(5);
    /** How long a target that exists but is not described yet, or still copying, is left. */
    static final Duration TARGET_RECHECK = Duration.ofSeconds(30);

    private final List<CopyPolicy> policies;
    private final Gateways gateways;
    private final StepRunner runner;
    private final Ledger ledger;
    private final CopyNotifier notifier;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public SnapshotCopies(List<CopyPolicy> policies, Gateways gateways, StepRunner runner, Ledger ledger,
                          CopyNotifier notifier, Clock clock, MeterRegistry meters) {
        this.policies = List.copyOf(policies);
        this.gateways = gateways;
        this.runner = runner;
        this.ledger = ledger;
        this.notifier = notifier;
        this.clock = clock;
        this.meters = meters;
    }

    @Override
    public String name() {
        return "copies";
    }

    @Override
    public boolean active() {
        return !policies.isEmpty();
    }

    /** The step key of one source snapshot's copy under one policy. */
    public static String stepKey(CopyPolicy policy, String sourceArn) {
        return "copy#" + policy.name() + "#" + sourceArn + "#" + policy.destinationRegion();
    }

    /** The step key of the "copy finished" record of a copy step. */
    public static String finishedKey(CopyPolicy policy, String sourceArn) {
        return "copied#" + policy.name() + "#" + sourceArn + "#" + policy.destinationRegion();
    }

    /** The stage names of the two steps, as they appear in {@code /pipelines} ({@code copy:<policy>}). */
    public static final String STAGE = "copy";
    public static final String FINISHED_STAGE = "copy-finished";

    @Override
    public Outcome snapshotCreated(SnapshotCreated event) {
        if (policies.isEmpty()) {
            return Outcome.skipped("copies: no copy policy (snapline.copies) is configured");
        }
        SnapshotRef ref = event.snapshot();
        if (ref.scope() == SnapshotRef.Scope.CLUSTER) {
            return Outcome.skipped("copies: a DB cluster is not a snapshot");
        }
        Optional<Arn> arn = ref.arn().flatMap(Arn::parse);
        String region = arn.map(Arn::region).filter(r -> !r.isEmpty()).or(ref::region).orElse(gateways.region());
        String identifier = arn.map(Arn::resourceId).orElse(ref.identifier());
        if (event.origin() == SnapshotCreated.Origin.COPY) {
            return copyFinished(event, ref, region, identifier);
        }
        if (!region.equals(gateways.region())) {
            return skip(ref.id(), identifier, "not_service_region", "copies: snapshot " + identifier + " is in "
                    + region + ", not in the service's region " + gateways.region() + "; copy policies copy the "
                    + "service region's snapshots");
        }
        Set<CopyPolicy.Kind> possible = possibleKinds(event.origin());
        List<CopyPolicy> candidates = policies.stream()
                .filter(p -> covers(p, ref.scope()) && p.kindSet().stream().anyMatch(possible::contains)).toList();
        if (candidates.isEmpty()) {
            return skip(ref.id(), identifier, "no_policy", "copies: no copy policy takes " + possible + " "
                    + kind(ref.scope()) + "s");
        }
        Optional<Snapshot> found = gateways.snapshotCopies(AwsAccess.DEFAULT, region).describe(ref.scope(), identifier)
                .filter(s -> ref.arn().isEmpty() || ref.arn().get().equals(s.arn()));
        if (found.isEmpty()) {
            return notFound(event, ref, identifier, region);
        }
        Snapshot src = found.get();
        if (src.tags().containsKey(CopyPolicy.COPY_OF_TAG)) {
            return skip(src.arn(), identifier, "is_copy", "copies: " + identifier + " is a copy Snapline made (of "
                    + SafeText.of(src.tags().get(CopyPolicy.COPY_OF_TAG), 300) + "); a copy is never copied again");
        }
        CopyPolicy.Kind kind = kindOf(src);
        List<CopyPolicy> matched = candidates.stream()
                .filter(p -> p.kindSet().contains(kind) && p.matchesSource(src.sourceId())).toList();
        if (matched.isEmpty()) {
            return skip(src.arn(), identifier, "no_policy", "copies: no copy policy takes " + kind.key() + " snapshots of "
                    + SafeText.of(src.sourceId(), 200));
        }
        Outcomes outcomes = new Outcomes();
        for (CopyPolicy p : matched) {
            try {
                outcomes.add(copy(p, src, region));
            } catch (RuntimeException e) {
                outcomes.failed(e);
            }
        }
        return outcomes.result();
    }

    /** Runs one policy's copy step of a described source snapshot (also reconcile's re-drive). */
    Outcome copy(CopyPolicy p, Snapshot src, String sourceRegion) {
        String target = CopyIdentifiers.forSource(p.namePrefix(), src.identifier(), src.scope());
        Step step = Step.of(stepKey(p, src.arn()), STAGE, p.name(), src.arn(), src.identifier(),
                notifier.copyFailed(p, src.arn(), target + " in " + p.destinationRegion()));
        return runner.run(step, () -> copyBody(p, src, sourceRegion, target));
    }

    private StepResult copyBody(CopyPolicy p, Snapshot src, String sourceRegion, String target) {
        String what = kind(src.scope()) + " " + src.identifier() + " → " + target + " in " + p.destinationRegion();
        String k = "snapline.copies." + p.name() + ".";
        if (!"available".equals(src.status())) {
            return StepResult.waiting(SOURCE_RECHECK, what + ": the source is " + SafeText.of(src.status(), 50)
                    + ", not available yet; trying again in " + SOURCE_RECHECK.toMinutes() + " minutes");
        }
        if (src.encrypted() && p.kmsKey().isEmpty()) {
            throw new PermanentProcessingException(what + ": the source is encrypted (key "
                    + SafeText.of(src.kmsKeyId().orElse("unknown"), 300) + ") and KMS keys are region-bound: set "
                    + k + "destination-kms-key-id to a key in " + p.destinationRegion());
        }
        if (src.scope() == SnapshotRef.Scope.DB_SNAPSHOT && src.nonDefaultOptionGroup() && p.optionGroupName().isEmpty()) {
            throw new PermanentProcessingException(what + ": the source uses the option group "
                    + SafeText.of(src.optionGroup().orElse(""), 255) + ", which a cross-region copy must be given in "
                    + "the destination: set " + k + "option-group to an option group in " + p.destinationRegion());
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(p.tagKey(), p.tagValue());
        tags.put(CopyPolicy.POLICY_TAG, p.name());
        tags.put(CopyPolicy.COPY_OF_TAG, src.arn());
        SnapshotCopyGateway dest = gateways.snapshotCopies(AwsAccess.DEFAULT, p.destinationRegion());
        CopyResult r = dest.copy(new CopyRequest(src.scope(), src.arn(), sourceRegion, target,
                src.encrypted() ? p.kmsKey() : Optional.empty(),
                src.nonDefaultOptionGroup() ? p.optionGroupName() : Optional.empty(), p.copyTags(), tags));
        String detail = SafeText.of(r.detail(), 500);
        return switch (r.status()) {
            case STARTED -> StepResult.started(r.arn().orElse(target), "copying " + what + " (from " + sourceRegion
                    + "): " + r.arn().orElse(target));
            case ALREADY_EXISTS -> {
                Optional<Snapshot> existing = dest.describe(src.scope(), target);
                if (existing.isEmpty()) {
                    yield StepResult.waiting(TARGET_RECHECK, what + ": RDS says the target exists but does not "
                            + "describe it yet; looking again");
                }
                if (!sameSource(existing.get(), src)) {
                    throw new PermanentProcessingException(what + ": the identifier is taken in "
                            + p.destinationRegion() + " by a snapshot that is not a copy of " + src.arn() + " (copy of "
                            + SafeText.of(existing.get().tags().getOrDefault(CopyPolicy.COPY_OF_TAG,
                            existing.get().copiedFrom().orElse("nothing known")), 300) + "); rename or delete it, or "
                            + "change " + k + "name-prefix");
                }
                yield StepResult.alreadyStarted(existing.get().arn(), what + " exists already (a copy of the same "
                        + "source, " + SafeText.of(existing.get().status(), 50) + "): " + existing.get().arn());
            }
            case SOURCE_NOT_READY -> StepResult.waiting(SOURCE_RECHECK, what + ": the source is not available yet ("
                    + detail + "); trying again in " + SOURCE_RECHECK.toMinutes() + " minutes");
            case COPY_LIMIT -> {
                count(p.name(), "copy_limit");
                yield StepResult.waiting(LIMIT_RECHECK, what + ": the limit of copies in progress to "
                        + p.destinationRegion() + " is reached (" + detail + "); trying again in "
                        + LIMIT_RECHECK.toMinutes() + " minutes");
            }
            case SOURCE_NOT_FOUND -> throw new PermanentProcessingException(what + ": the source snapshot is gone ("
                    + detail + ")");
            case KMS_KEY_NOT_ACCESSIBLE -> throw new PermanentProcessingException(what + ": the KMS key "
                    + SafeText.of(p.kmsKey().orElse("(none)"), 300) + " cannot be used (" + detail + "); check "
                    + k + "destination-kms-key-id and that the task role may kms:CreateGrant and kms:DescribeKey on it");
            case OPTION_GROUP_NOT_FOUND -> throw new PermanentProcessingException(what + ": the option group "
                    + SafeText.of(p.optionGroupName().orElse("(none)"), 255) + " does not exist in "
                    + p.destinationRegion() + " (" + detail + "); create it there or fix " + k + "option-group");
            case QUOTA_EXCEEDED -> throw new PermanentProcessingException(what + ": the manual snapshot quota of "
                    + p.destinationRegion() + " is used up (" + detail + "); lower keep-days / keep-last of "
                    + "snapline.copies." + p.name() + ", delete old snapshots there, or ask AWS to raise the quota");
        };
    }

    /** True when {@code existing} is a copy of {@code src}: by its {@value CopyPolicy#COPY_OF_TAG} tag, or by what RDS says. */
    static boolean sameSource(Snapshot existing, Snapshot src) {
        String tagged = existing.tags().get(CopyPolicy.COPY_OF_TAG);
        if (tagged != null) {
            return tagged.equals(src.arn());
        }
        return existing.copiedFrom().filter(f -> f.equals(src.arn()) || f.equals(src.identifier())).isPresent();
    }

    /** True when {@code copy} is a copy of the snapshot {@code sourceArn}. */
    static boolean sameSourceArn(Snapshot copy, String sourceArn) {
        String tagged = copy.tags().get(CopyPolicy.COPY_OF_TAG);
        return tagged != null ? tagged.equals(sourceArn) : copy.copiedFrom().filter(sourceArn::equals).isPresent();
    }

    // ---------------------------------------------------------------- completion

    private Outcome copyFinished(SnapshotCreated event, SnapshotRef ref, String region, String identifier) {
        List<CopyPolicy> toRegion = policies.stream().filter(p -> region.equals(p.destinationRegion())).toList();
        if (toRegion.isEmpty()) {
            return Outcome.skipped(SafeText.of("copies: " + identifier + " is a finished copy in " + region
                    + ", where no copy policy copies to; a copy is never copied again", 1000));
        }
        Optional<Snapshot> found = gateways.snapshotCopies(AwsAccess.DEFAULT, region).describe(ref.scope(), identifier);
        if (found.isEmpty()) {
            Duration age = Duration.between(event.eventTime(), clock.instant());
            if (age.compareTo(NOT_FOUND_GRACE) < 0) {
                return Outcome.recheckLater(NOT_FOUND_RECHECK, SafeText.of("copies: finished copy " + identifier
                        + " not found in " + region + " yet; looking again in " + NOT_FOUND_RECHECK.toSeconds() + " s", 1000));
            }
            return skip(ref.id(), identifier, "copy_gone", "copies: finished copy " + identifier + " not found in "
                    + region + " " + age.toMinutes() + " minutes after its event (deleted since?); nothing recorded");
        }
        Snapshot target = found.get();
        Optional<CopyPolicy> policy = toRegion.stream()
                .filter(p -> p.name().equals(target.tags().get(CopyPolicy.POLICY_TAG))).findFirst();
        Optional<String> sourceArn = Optional.ofNullable(target.tags().get(CopyPolicy.COPY_OF_TAG))
                .or(target::copiedFrom).filter(Arn::isArn);
        if (policy.isEmpty() || sourceArn.isEmpty()) {
            return skip(target.arn(), identifier, "not_ours", "copies: " + identifier + " in " + region + " is a copy no "
                    + "copy policy made (no " + CopyPolicy.POLICY_TAG + " tag naming one); nothing recorded, never "
                    + "copied again");
        }
        return finished(policy.get(), sourceArn.get(), target);
    }

    /** Records a copy that finished (its event, or reconcile finding it): once per copy, notified once. */
    Outcome finished(CopyPolicy p, String sourceArn, Snapshot target) {
        String sourceIdentifier = Arn.parse(sourceArn).map(Arn::resourceId).orElse(sourceArn);
        String where = target.arn() + " (" + p.destinationRegion() + ")";
        Step step = Step.of(finishedKey(p, sourceArn), FINISHED_STAGE, p.name(), sourceArn, sourceIdentifier,
                notifier.copyFailed(p, sourceArn, where));
        return runner.run(step, () -> {
            String status = target.status() == null ? "" : target.status();
            if (status.equals("copying") || status.equals("creating") || status.equals("pending")) {
                return StepResult.waiting(TARGET_RECHECK, "copy " + where + " is " + status + "; looking again");
            }
            if (!status.equals("available")) {
                ledger.recordStep(sourceArn, sourceIdentifier, STAGE + ":" + p.name(), StepState.FAILED,
                        SafeText.of("copy ended " + status + ": " + where, 1000));
                throw new PermanentProcessingException("copy of " + sourceArn + " to " + where + " ended "
                        + SafeText.of(status, 50) + ", not available");
            }
            ledger.recordStep(sourceArn, sourceIdentifier, STAGE + ":" + p.name(), StepState.DONE,
                    SafeText.of("copy finished: " + where, 1000));
            notifier.copyCompleted(p, sourceArn, target.arn());
            count(p.name(), "finished");
            return StepResult.done(target.arn(), "copy finished: " + where);
        });
    }

    // ---------------------------------------------------------------- helpers

    private Outcome notFound(SnapshotCreated event, SnapshotRef ref, String identifier, String region) {
        Duration age = Duration.between(event.eventTime(), clock.instant());
        if (age.compareTo(NOT_FOUND_GRACE) < 0) {
            return Outcome.recheckLater(NOT_FOUND_RECHECK, SafeText.of("copies: snapshot " + identifier + " not found in "
                    + region + " yet (its event is " + age.toSeconds() + " s old); looking again in "
                    + NOT_FOUND_RECHECK.toSeconds() + " s", 1000));
        }
        return skip(ref.id(), identifier, "source_gone", "copies: snapshot " + identifier + " not found in " + region
                + " " + age.toMinutes() + " minutes after its event: deleted, or never there; not copied");
    }

    /** The kinds an event's origin can turn out to be once described (AWS Backup snapshots announce 0042 too). */
    static Set<CopyPolicy.Kind> possibleKinds(SnapshotCreated.Origin origin) {
        return switch (origin) {
            case AUTOMATED -> EnumSet.of(CopyPolicy.Kind.AUTOMATED);
            case AWS_BACKUP -> EnumSet.of(CopyPolicy.Kind.AWS_BACKUP);
            case MANUAL -> EnumSet.of(CopyPolicy.Kind.SCHEDULED, CopyPolicy.Kind.MANUAL, CopyPolicy.Kind.AWS_BACKUP);
            case COPY -> EnumSet.noneOf(CopyPolicy.Kind.class);
        };
    }

    /** What a described snapshot is: by its type, and for manual ones by the tags a schedule gives. */
    static CopyPolicy.Kind kindOf(Snapshot s) {
        String type = s.snapshotType() == null ? "" : s.snapshotType();
        if (type.equals("automated") || s.identifier().startsWith("rds:")) {
            return CopyPolicy.Kind.AUTOMATED;
        }
        if (type.equals("awsbackup") || s.identifier().startsWith("awsbackup:")) {
            return CopyPolicy.Kind.AWS_BACKUP;
        }
        return s.tags().containsKey(SnapshotSchedule.POLICY_TAG) && s.tags().containsKey(SnapshotSchedule.SLOT_TAG)
                ? CopyPolicy.Kind.SCHEDULED : CopyPolicy.Kind.MANUAL;
    }

    static boolean covers(CopyPolicy p, SnapshotRef.Scope scope) {
        return scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? p.coversClusters() : p.coversInstances();
    }

    private static String kind(SnapshotRef.Scope scope) {
        return scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? "cluster snapshot" : "snapshot";
    }

    /** A skip, recorded in the pipeline, counted, logged once; {@code detail} may hold message text: made safe. */
    private Outcome skip(String pipelineId, String identifier, String reason, String detail) {
        String safe = SafeText.of(detail, 1000);
        ledger.recordStep(pipelineId, identifier, STAGE, StepState.SKIPPED, safe);
        count("-", "skipped_" + reason);
        LOG.info(safe);
        return Outcome.skipped(safe);
    }

    void count(String policy, String outcome) {
        counters.computeIfAbsent(policy + "|" + outcome, k -> Counter.builder("snapline.copies")
                .description("cross-region copy events by policy and outcome (skips, limits, finished copies)")
                .tag("policy", policy).tag("outcome", outcome).register(meters)).increment();
    }
}
