package io.snapline.handler.export;

import io.snapline.config.ExportPolicies;
import io.snapline.config.ExportPolicy;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.handler.MessageHandler;
import io.snapline.handler.Outcome;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.StepState;
import io.snapline.message.SnapshotCreated;
import io.snapline.message.SnapshotRef;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot became available: export it once per matching policy. The snapshot is described in
 * each candidate policy's account (source id, status, engine, time and ARN are needed, and the event
 * may lack the ARN); a snapshot that no policy takes is recorded as SKIPPED with the reason.
 */
@Singleton
public class SnapshotCreatedHandler implements MessageHandler<SnapshotCreated> {

    private final ExportPolicies policies;
    private final Gateways gateways;
    private final Ledger ledger;
    private final ExportPipeline pipeline;

    public SnapshotCreatedHandler(ExportPolicies policies, Gateways gateways, Ledger ledger, ExportPipeline pipeline) {
        this.policies = policies;
        this.gateways = gateways;
        this.ledger = ledger;
        this.pipeline = pipeline;
    }

    @Override
    public Class<SnapshotCreated> messageType() {
        return SnapshotCreated.class;
    }

    @Override
    public Outcome handle(SnapshotCreated event) {
        SnapshotRef ref = event.snapshot();
        String identifier = ref.arn().map(ExportTaskIds::identifierFromArn).orElse(ref.identifier());
        String kind = ExportPolicy.Kind.of(event.origin()).key();
        if (ref.scope() == SnapshotRef.Scope.CLUSTER) {
            return skip(ref.id(), identifier, "a DB cluster is not a snapshot; export policies select snapshots");
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
            // By ARN when known: unambiguous across accounts, and what shared snapshots need.
            Optional<SnapshotInfo> found = described.computeIfAbsent(p.sourceAccess(),
                    access -> gateways.snapshots(access).describe(ref.scope(), ref.arn().orElse(identifier))
                            .filter(i -> ref.arn().isEmpty() || ref.arn().get().equals(i.arn()))
                            .map(SnapshotCreatedHandler::withSource));
            if (found.isPresent() && ownSnapshot(found.get()) && p.matchesSource(found.get().sourceId())) {
                matched.add(p);
                info = info == null ? found.get() : info;
            }
        }
        if (matched.isEmpty()) {
            String why = described.values().stream().flatMap(Optional::stream).findFirst()
                    .map(i -> "no policy matched: source " + i.sourceId() + ", " + kind + " (" + i.snapshotType() + ")")
                    .orElse("no policy matched: snapshot " + identifier + " not found in any candidate policy's account");
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
     * The snapshot with its source id filled in from an automated snapshot's name when RDS (or an
     * offline dry run) did not give one.
     */
    static SnapshotInfo withSource(SnapshotInfo i) {
        if (i.sourceId() != null && !i.sourceId().isBlank()) {
            return i;
        }
        return new SnapshotInfo(i.identifier(), i.arn(), i.scope(), ExportPipeline.sourceFromName(i.identifier()),
                i.snapshotType(), i.status(), i.createTime(), i.engine(), i.tags());
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
