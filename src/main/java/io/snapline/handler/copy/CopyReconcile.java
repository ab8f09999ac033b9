package io.snapline.handler.copy;

import io.snapline.config.CopyPolicy;
import io.snapline.error.PermanentProcessingException;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.SnapshotCopyGateway;
import io.snapline.gateway.SnapshotCopyGateway.Snapshot;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.handler.Outcome;
import io.snapline.handler.ReconcileExtension;
import io.snapline.handler.step.Delivery;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import io.snapline.ledger.StepState;
import io.snapline.message.Command;
import io.snapline.message.SafeText;
import io.snapline.message.SnapshotRef;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code reconcile}'s part for copies. For each copy policy, the source snapshots of the service's region
 * that it takes (available, of its sources and kinds, never a copy), newest first:
 * <ul>
 *   <li>"copy finished" already recorded → nothing (the copy may have been pruned since, rightly);</li>
 *   <li>the copy is {@code available} at the destination, its finish not recorded (the 0060 event was lost) →
 *       recorded now, "copy completed" notified, as the event would have;</li>
 *   <li>the copy is missing at the destination → re-driven: never tried (the created event was lost), or started
 *       and gone (canceled, RDS-EVENT-0061, or failed: recorded FAILED on the pipeline and notified "copy failed"
 *       first), the copy step runs again as a redrive. At most {@link #MAX_REDRIVES_PER_POLICY} per policy a run;
 *       the rest are counted in the summary for the next run;</li>
 *   <li>a copy still in progress → nothing.</li>
 * </ul>
 * {@code dryRun} lists what it would do.
 */
@Singleton
public class CopyReconcile implements ReconcileExtension {

    private static final Logger LOG = LoggerFactory.getLogger(CopyReconcile.class);
    /** The most copies one reconcile run re-drives per policy: a backlog drains over runs, never all at once. */
    static final int MAX_REDRIVES_PER_POLICY = 10;

    private final List<CopyPolicy> policies;
    private final SnapshotCopies copies;
    private final Gateways gateways;
    private final Ledger ledger;
    private final CopyNotifier notifier;

    public CopyReconcile(List<CopyPolicy> policies, SnapshotCopies copies, Gateways gateways, Ledger ledger,
                         CopyNotifier notifier) {
        this.policies = List.copyOf(policies);
        this.copies = copies;
        this.gateways = gateways;
        this.ledger = ledger;
        this.notifier = notifier;
    }

    @Override
    public boolean knowsPolicy(String policy) {
        return policies.stream().anyMatch(p -> p.name().equals(policy));
    }

    @Override
    public String reconcile(Command command) {
        Optional<String> only = command.arg("policy").map(String::trim).filter(p -> !p.isEmpty());
        boolean dryRun = command.dryRun() || command.arg("dryRun").map(Boolean::parseBoolean).orElse(false);
        List<String> parts = new ArrayList<>();
        for (CopyPolicy p : policies) {
            if (only.isEmpty() || only.get().equals(p.name())) {
                parts.add(reconcile(p, dryRun));
            }
        }
        String summary = "copies: " + (parts.isEmpty() ? "no copy policy" : String.join("; ", parts));
        LOG.info(summary);
        return summary;
    }

    private String reconcile(CopyPolicy p, boolean dryRun) {
        String home = gateways.region();
        SnapshotCopyGateway sources = gateways.snapshotCopies(AwsAccess.DEFAULT, home);
        SnapshotCopyGateway dest = gateways.snapshotCopies(AwsAccess.DEFAULT, p.destinationRegion());
        List<String> recorded = new ArrayList<>();
        List<String> redriven = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int left = 0;
        for (SnapshotInfo s : candidates(p)) {
            if (ledger.operation(SnapshotCopies.finishedKey(p, s.arn())).filter(OperationRecord::completed).isPresent()) {
                continue;
            }
            String target = CopyIdentifiers.forSource(p.namePrefix(), s.identifier(), s.scope());
            Optional<Snapshot> copy = dest.describe(s.scope(), target);
            if (copy.isPresent()) {
                if ("available".equals(copy.get().status()) && SnapshotCopies.sameSourceArn(copy.get(), s.arn())) {
                    if (!dryRun) {
                        copies.finished(p, s.arn(), copy.get());
                    }
                    recorded.add(target);
                }
                continue;
            }
            if (redriven.size() + failed.size() >= MAX_REDRIVES_PER_POLICY) {
                left++;
                continue;
            }
            if (dryRun) {
                redriven.add(target);
                continue;
            }
            Optional<Snapshot> source = sources.describe(s.scope(), s.identifier());
            if (source.isEmpty()) {
                continue;
            }
            String key = SnapshotCopies.stepKey(p, s.arn());
            Optional<OperationRecord> before = ledger.operation(key);
            if (before.filter(OperationRecord::completed).isPresent()) {
                String reason = "copy " + target + " started (" + SafeText.of(before.get().result().orElse(""), 300)
                        + ") but is not in " + p.destinationRegion() + " any more: canceled or failed; re-driven by reconcile";
                ledger.recordStep(s.arn(), s.identifier(), SnapshotCopies.STAGE + ":" + p.name(), StepState.FAILED, reason);
                notifier.copyEndedBadly(p, s.arn(), target + " in " + p.destinationRegion(), reason);
                ledger.fail(key, reason);
            }
            try {
                Outcome o = Delivery.handle(true, () -> copies.copy(p, source.get(), home));
                redriven.add(target + " (" + o.label() + ")");
            } catch (PermanentProcessingException e) {
                failed.add(target + ": " + SafeText.of(e.getMessage(), 300));
            }
        }
        return p.name() + ": " + (dryRun ? "would record finished " : "recorded finished ") + recorded.size()
                + (recorded.isEmpty() ? "" : " " + recorded) + ", " + (dryRun ? "would re-drive " : "re-driven ")
                + redriven.size() + (redriven.isEmpty() ? "" : " " + redriven)
                + (failed.isEmpty() ? "" : ", failed " + failed)
                + (left == 0 ? "" : ", " + left + " more missing left for the next run (at most "
                + MAX_REDRIVES_PER_POLICY + " a run)");
    }

    /** The policy's source snapshots in the service's region, newest first. */
    private List<SnapshotInfo> candidates(CopyPolicy p) {
        Map<String, SnapshotInfo> found = new LinkedHashMap<>();
        List<SnapshotRef.Scope> scopes = new ArrayList<>();
        if (p.coversInstances()) {
            scopes.add(SnapshotRef.Scope.DB_SNAPSHOT);
        }
        if (p.coversClusters()) {
            scopes.add(SnapshotRef.Scope.CLUSTER_SNAPSHOT);
        }
        var snapshots = gateways.snapshots(AwsAccess.DEFAULT);
        for (SnapshotRef.Scope scope : scopes) {
            boolean anyGlob = p.sources().stream().anyMatch(io.snapline.config.Globs::isGlob);
            List<Optional<String>> listings = anyGlob ? List.of(Optional.empty())
                    : p.sources().stream().map(Optional::of).toList();
            for (Optional<String> source : listings) {
                snapshots.forEachSnapshot(scope, source, s -> {
                    if (takes(p, s)) {
                        found.putIfAbsent(s.arn(), s);
                    }
                });
            }
        }
        List<SnapshotInfo> out = new ArrayList<>(found.values());
        out.sort(Comparator.comparing(SnapshotInfo::createTime, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    private static boolean takes(CopyPolicy p, SnapshotInfo s) {
        String type = s.snapshotType() == null ? "" : s.snapshotType();
        if (!"available".equals(s.status()) || type.equals("shared") || type.equals("public")
                || s.tags().containsKey(CopyPolicy.COPY_OF_TAG) || !p.matchesSource(s.sourceId())) {
            return false;
        }
        Snapshot asCopySubject = new Snapshot(s.identifier(), s.arn(), s.scope(), s.sourceId(), type, s.status(),
                s.createTime(), false, Optional.empty(), Optional.empty(), Optional.empty(), s.tags());
        return p.kindSet().contains(SnapshotCopies.kindOf(asCopySubject));
    }
}
