package io.snapline.handler.export;

import io.snapline.config.ExportPolicies;
import io.snapline.config.ExportPolicy;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.handler.MessageHandler;
import io.snapline.handler.SnapshotCreatedParticipant;
import io.snapline.handler.Outcome;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.StepState;
import io.snapline.message.Arn;
import io.snapline.message.SnapshotCreated;
import io.snapline.message.SnapshotRef;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot became available: export it once per matching policy. The snapshot is described in
 * each candidate policy's account (source id, status, engine, time and ARN are needed, and the event
 * may lack the ARN): by its identifier, since whether RDS takes an ARN there for the account's own
 * snapshots is not documented; by its ARN only when that fails and the ARN may name another
 * account's shared snapshot, where AWS needs it. A snapshot that no policy takes is recorded as
 * SKIPPED with the reason.
 *
 * <p>A snapshot that cannot be found is not skipped: the event can arrive before describe sees the
 * snapshot, so it is re-checked every {@link #NOT_FOUND_RECHECK} until {@link #NOT_FOUND_GRACE} after
 * the event; then the export step of every policy that could have taken it fails permanently, with
 * the true reason, notified once (and the message goes to the dead-letter queue).
 */
@Singleton
public class SnapshotCreatedHandler implements MessageHandler<SnapshotCreated> {

    /** How long after its event a snapshot may still be missing from describe before it is given up. */
    static final Duration NOT_FOUND_GRACE = Duration.ofMinutes(15);
    static final Duration NOT_FOUND_RECHECK = Duration.ofMinutes(1);

    private final ExportPolicies policies;
    private final Gateways gateways;
    private final Ledger ledger;
    private final ExportPipeline pipeline;
    private final Clock clock;
    private final List<SnapshotCreatedParticipant> participants;

    public SnapshotCreatedHandler(ExportPolicies policies, Gateways gateways, Ledger ledger, ExportPipeline pipeline) {
        this(policies, gateways, ledger, pipeline, Clock.systemUTC());
    }

    public SnapshotCreatedHandler(ExportPolicies policies, Gateways gateways, Ledger ledger, ExportPipeline pipeline,
                                  Clock clock) {
        this(policies, gateways, ledger, pipeline, clock, List.of());
    }

    /**
     * The bean: the exports, then every other "on snapshot created" participant (cross-region copies),
     * their outcomes folded into one answer ({@link Outcomes}).
     */
    @Inject
    public SnapshotCreatedHandler(ExportPolicies policies, Gateways gateways, Ledger ledger, ExportPipeline pipeline,
                                  Clock clock, List<SnapshotCreatedParticipant> participants) {
        this.policies = policies;
        this.gateways = gateways;
        this.ledger = ledger;
        this.pipeline = pipeline;
        this.clock = clock;
        this.participants = participants.stream().filter(SnapshotCreatedParticipant::active).toList();
    }

    @Override
    public Class<SnapshotCreated> messageType() {
        return SnapshotCreated.class;
    }

    @Override
    public Outcome handle(SnapshotCreated event) {
        if (participants.isEmpty()) {
            return exports(event);
        }
        Outcomes outcomes = new Outcomes();
        try {
            outcomes.add(exports(event));
        } catch (RuntimeException e) {
            outcomes.failed(e);
        }
        for (SnapshotCreatedParticipant p : participants) {
            try {
                outcomes.add(p.snapshotCreated(event));
            } catch (RuntimeException e) {
                outcomes.failed(e);
            }
        }
        return outcomes.result();
    }

    /** The export part: every export policy that takes the snapshot. */
    private Outcome exports(SnapshotCreated event) {
        SnapshotRef ref = event.snapshot();
        String identifier = ref.arn().map(ExportTaskIds::identifierFromArn).orElse(ref.identifier());
        String kind = ExportPolicy.Kind.of(event.origin()).key();
        if (ref.scope() == SnapshotRef.Scope.CLUSTER) {
            return skip(ref.id(), identifier, "a DB cluster is not a snapshot; export policies select snapshots");
        }
        Optional<String> arnRegion = ref.arn().flatMap(Arn::parse).map(Arn::region).filter(r -> !r.isEmpty());
        if (event.origin() == SnapshotCreated.Origin.COPY && arnRegion.isPresent()
                && !arnRegion.get().equals(gateways.region())) {
            return skip(ref.id(), identifier, "not exported: a copy in " + arnRegion.get() + " (a cross-region copy's "
                    + "event, from that region's subscription); export policies export the snapshots of the service's "
                    + "region " + gateways.region());
        }
        List<ExportPolicy> candidates = policies.candidates(event);
        if (candidates.isEmpty()) {
            return skip(ref.id(), identifier, "no policy matched: no policy takes " + kind + " snapshots"
                    + ref.accountId().map(a -> " of account " + a).orElse(""));
        }
        Map<AwsAccess, Optional<SnapshotInfo>> described = new HashMap<>();
        List<ExportPolicy> matched = new ArrayList<>();
        SnapshotInfo info = null;
        for (ExportPolicy p : candidates) {
            Optional<SnapshotInfo> found = described.computeIfAbsent(p.sourceAccess(),
                    access -> gateways.snapshots(access).find(ref.scope(), identifier, ref.arn())
                            .map(i -> completed(i, event)));
            if (found.isPresent() && ownSnapshot(found.get()) && p.matchesSource(found.get().sourceId())) {
                matched.add(p);
                info = info == null ? found.get() : info;
            }
        }
        Optional<SnapshotInfo> any = described.values().stream().flatMap(Optional::stream).findFirst();
        if (any.isEmpty()) {
            return notFound(event, ref, identifier, candidates);
        }
        if (matched.isEmpty()) {
            SnapshotInfo i = any.get();
            String why = ownSnapshot(i)
                    ? "no policy matched: source " + i.sourceId() + ", " + kind + " (" + i.snapshotType() + ")"
                    : "not exported: snapshot " + identifier + " is " + i.snapshotType() + " (owned by another account); "
                            + "Snapline exports only its accounts' own snapshots";
            return skip(ref.id(), identifier, why);
        }
        ledger.recordStep(info.arn(), info.identifier(), "policy", StepState.DONE,
                "matched " + String.join(", ", matched.stream().map(ExportPolicy::name).toList()));
        Outcomes outcomes = new Outcomes();
        for (ExportPolicy p : matched) {
            SnapshotInfo snap = described.get(p.sourceAccess()).orElseThrow();
            try {
                outcomes.add(pipeline.start(p, snap));
            } catch (RuntimeException e) {
                outcomes.failed(e);
            }
        }
        return outcomes.result();
    }

    /**
     * Found nowhere. Within {@link #NOT_FOUND_GRACE} of the event: a re-check. After it: the export
     * step of each policy that could have taken the snapshot fails permanently, notified.
     */
    private Outcome notFound(SnapshotCreated event, SnapshotRef ref, String identifier, List<ExportPolicy> candidates) {
        String derived = ExportPipeline.sourceFromName(identifier);
        boolean named = !derived.equals(identifier);
        List<ExportPolicy> could = named ? candidates.stream().filter(p -> p.matchesSource(derived)).toList() : candidates;
        if (could.isEmpty()) {
            return skip(ref.id(), identifier, "no policy matched: snapshot " + identifier + " was not found, and the "
                    + "source its name gives (" + derived + ") is taken by no policy");
        }
        String names = String.join(", ", could.stream().map(ExportPolicy::name).toList());
        Duration age = Duration.between(event.eventTime(), clock.instant());
        String where = "DescribeDB" + (ref.scope() == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? "Cluster" : "")
                + "Snapshots by identifier '" + identifier + "' in the account of policy " + names;
        if (age.compareTo(NOT_FOUND_GRACE) < 0) {
            String reason = "snapshot " + identifier + " not found yet (" + where + "); its event is " + age.toSeconds()
                    + " s old and describe can lag it: looking again in " + NOT_FOUND_RECHECK.toSeconds() + " s, up to "
                    + NOT_FOUND_GRACE.toMinutes() + " minutes after the event";
            ledger.recordStep(ref.id(), identifier, "policy", StepState.WAITING, reason);
            return Outcome.recheckLater(NOT_FOUND_RECHECK, reason);
        }
        String reason = "snapshot " + identifier + " not found (" + where + ") " + age.toMinutes()
                + " minutes after its event: it was deleted, or it is in another account or region than the policy's";
        ledger.recordStep(ref.id(), identifier, "policy", StepState.FAILED, reason);
        Outcomes outcomes = new Outcomes();
        for (ExportPolicy p : could) {
            try {
                outcomes.add(pipeline.snapshotMissing(p, ref.id(), identifier, reason));
            } catch (RuntimeException e) {
                outcomes.failed(e);
            }
        }
        return outcomes.result();
    }

    /**
     * The snapshot with what RDS (or an offline dry run) did not give filled in: the source id from
     * an automated snapshot's name, the creation time from the event's time.
     */
    static SnapshotInfo completed(SnapshotInfo i, SnapshotCreated event) {
        boolean noSource = i.sourceId() == null || i.sourceId().isBlank();
        if (!noSource && i.createTime() != null) {
            return i;
        }
        return new SnapshotInfo(i.identifier(), i.arn(), i.scope(),
                noSource ? ExportPipeline.sourceFromName(i.identifier()) : i.sourceId(), i.snapshotType(), i.status(),
                i.createTime() != null ? i.createTime() : event.eventTime(), i.engine(), i.tags());
    }

    /** Shared and public snapshots belong to someone else: never exported. */
    static boolean ownSnapshot(SnapshotInfo info) {
        return !"shared".equalsIgnoreCase(info.snapshotType()) && !"public".equalsIgnoreCase(info.snapshotType());
    }

    private Outcome skip(String pipelineId, String identifier, String reason) {
        ledger.recordStep(pipelineId, identifier, "policy", StepState.SKIPPED, reason);
        return Outcome.skipped(reason);
    }
}
