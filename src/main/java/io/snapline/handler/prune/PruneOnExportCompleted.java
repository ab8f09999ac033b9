package io.snapline.handler.prune;

import io.snapline.config.ExportRetentionProperties;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.handler.ExportCompletedListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * After each completed export, prunes that export policy's exports of that source, so that
 * "latest only" ({@code retention.keep-last: 1}) removes the previous export as soon as the new one
 * is complete, and never before. The crawler is not started here: the export pipeline starts it
 * right after its listeners. The run is recorded as the step {@code prune-exports:<policy>} of the
 * completed export's snapshot in {@code /pipelines}. A policy without a {@code retention} block
 * prunes nothing and records nothing: nothing was asked of it.
 *
 * <p>A listener cannot be re-checked later, so a policy that another prune run holds is not waited
 * for here: the run is recorded SKIPPED with the holder's lease, counted and logged, and the next
 * completed export or {@code prune} command catches up. A cap exceeded or a failed deletion is
 * recorded by the step and thrown (the export pipeline logs it and goes on).
 */
@Singleton
public class PruneOnExportCompleted implements ExportCompletedListener {

    private static final Logger LOG = LoggerFactory.getLogger(PruneOnExportCompleted.class);

    private final Pruner pruner;
    private final List<ExportRetentionProperties> exportPolicies;

    public PruneOnExportCompleted(Pruner pruner, List<ExportRetentionProperties> exportPolicies) {
        this.pruner = pruner;
        this.exportPolicies = List.copyOf(exportPolicies);
    }

    @Override
    public void exportCompleted(String exportPolicy, String sourceId, ExportTask task) {
        boolean retained = exportPolicies.stream()
                .anyMatch(p -> p.name().equals(exportPolicy) && p.hasRetention());
        if (!retained) {
            // Not a skip: nothing was asked of this policy. No step is recorded, so an export pipeline
            // without retention reads the same in /pipelines as before retention existed.
            LOG.debug("export policy {} has no retention; nothing to prune after {}", exportPolicy, task.taskId());
            return;
        }
        // The export pipeline starts the policy's crawler right after its listeners: one crawl then sees
        // both the new export and the deleted ones, so pruning does not start it too.
        Optional<PruneRequest.Subject> subject = Optional.ofNullable(task.sourceArn())
                .map(arn -> new PruneRequest.Subject(arn, Pruner.identifierOf(arn, task.taskId())));
        PruneReport report = pruner.run(new PruneRequest(Optional.of(exportPolicy), Optional.of(sourceId), false, true,
                false, "export-completed:" + task.taskId(), false, false, subject));
        LOG.info("export {} of {} completed; export retention of {}: {}", task.taskId(), sourceId, exportPolicy,
                report.summary());
    }
}
