package io.snapline.handler.copy;

import io.snapline.config.CopyPolicy;
import io.snapline.gateway.Gateways;
import io.snapline.handler.MessageHandler;
import io.snapline.handler.Outcome;
import io.snapline.handler.step.Step;
import io.snapline.handler.step.StepResult;
import io.snapline.handler.step.StepRunner;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.StepState;
import io.snapline.message.Arn;
import io.snapline.message.SafeText;
import io.snapline.message.SnapshotCopyCanceled;
import io.snapline.message.SnapshotRef;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * A copy was canceled (RDS-EVENT-0061 from the destination region, 0190 in one region). When the canceled
 * target is a copy a policy started (its identifier is {@code <name-prefix>-<source identifier>} of a source of
 * the service's region whose copy step the ledger knows): the copy step is marked FAILED ("copy canceled"),
 * recorded on the source's pipeline and notified "copy failed" once (step {@code copy-canceled#…}); the next
 * {@code reconcile} re-drives it (the copy is missing at the destination). A target whose source cannot be told
 * from its name (shortened with a hash) is left to {@code reconcile}, which finds every missing copy; anything
 * else is SKIPPED with the reason.
 */
@Singleton
public class CopyCanceledHandler implements MessageHandler<SnapshotCopyCanceled> {

    private static final Logger LOG = LoggerFactory.getLogger(CopyCanceledHandler.class);

    private final List<CopyPolicy> policies;
    private final Gateways gateways;
    private final Ledger ledger;
    private final StepRunner runner;
    private final CopyNotifier notifier;

    public CopyCanceledHandler(List<CopyPolicy> policies, Gateways gateways, Ledger ledger, StepRunner runner,
                               CopyNotifier notifier) {
        this.policies = List.copyOf(policies);
        this.gateways = gateways;
        this.ledger = ledger;
        this.runner = runner;
        this.notifier = notifier;
    }

    @Override
    public Class<SnapshotCopyCanceled> messageType() {
        return SnapshotCopyCanceled.class;
    }

    @Override
    public Outcome handle(SnapshotCopyCanceled event) {
        SnapshotRef ref = event.target();
        Optional<Arn> arn = ref.arn().flatMap(Arn::parse);
        String region = arn.map(Arn::region).filter(r -> !r.isEmpty()).or(ref::region).orElse("");
        String identifier = arn.map(Arn::resourceId).orElse(ref.identifier());
        String account = arn.map(Arn::account).orElse("");
        for (CopyPolicy p : policies) {
            String prefix = p.namePrefix() + "-";
            if (!region.equals(p.destinationRegion()) || !identifier.startsWith(prefix) || account.isEmpty()) {
                continue;
            }
            String sourceIdentifier = identifier.substring(prefix.length());
            String sourceArn = Arn.rds(gateways.region(), account, Arn.rdsType(ref.scope()), sourceIdentifier).toString();
            String key = SnapshotCopies.stepKey(p, sourceArn);
            if (ledger.operation(key).isEmpty()) {
                continue;
            }
            String reason = "copy " + identifier + " in " + region + " was canceled (" + event.eventId() + " at "
                    + event.eventTime() + "); reconcile copies it again";
            Step step = Step.of("copy-canceled#" + key + "#" + event.eventTime(), "copy-canceled", p.name(), sourceArn,
                    sourceIdentifier, notifier.copyFailed(p, sourceArn, identifier + " in " + region));
            return runner.run(step, () -> {
                ledger.fail(key, reason);
                ledger.recordStep(sourceArn, sourceIdentifier, SnapshotCopies.STAGE + ":" + p.name(), StepState.FAILED,
                        SafeText.of(reason, 1000));
                notifier.copyEndedBadly(p, sourceArn, identifier + " in " + region, reason);
                return StepResult.done("canceled", reason);
            });
        }
        String why = SafeText.of("copy " + identifier + " in " + region + " was canceled; it is no copy whose source "
                + "a copy policy can tell from its name (reconcile finds any copy that is missing)", 1000);
        ledger.recordStep(ref.id(), identifier, SnapshotCopies.STAGE, StepState.SKIPPED, why);
        LOG.info(why);
        return Outcome.skipped(why);
    }
}
