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
 * right after its listeners. Policies without a {@code retention} block are left alone. A cap
 * exceeded or a failed deletion is thrown (the export pipeline logs it and goes on; the next
 * completed export or a {@code prune} command tries again).
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
            LOG.debug("export policy {} has no retention; nothing to prune after {}", exportPolicy, task.taskId());
            return;
        }
        // The export pipeline starts the policy's crawler right after its listeners: one crawl then sees
        // both the new export and the deleted ones, so pruning does not start it too.
        PruneReport report = pruner.run(new PruneRequest(Optional.of(exportPolicy), Optional.of(sourceId), false, true,
                false, "export-completed:" + task.taskId(), false));
        LOG.info("export {} of {} completed; export retention of {}: {}", task.taskId(), sourceId, exportPolicy,
                report.summary());
    }
}
