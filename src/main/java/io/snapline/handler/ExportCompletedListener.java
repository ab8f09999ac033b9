package io.snapline.handler;

import io.snapline.gateway.ExportGateway.ExportTask;

/**
 * Told when an export task of a policy has completed and its ACL rewrite is done. Retention
 * pruning listens, so that "latest only" export retention removes older exports only after a newer
 * one has completed. A listener must not throw for a normal "nothing to do"; a thrown exception is
 * logged and the export pipeline goes on.
 */
public interface ExportCompletedListener {

    /**
     * @param exportPolicy the export policy's name ({@code snapline.exports.<name>})
     * @param sourceId     the DB instance or cluster identifier the snapshot came from
     * @param task         the completed task
     */
    void exportCompleted(String exportPolicy, String sourceId, ExportTask task);
}
