package io.snapline.handler.export;

import io.snapline.config.ExportPolicy;
import io.snapline.handler.step.Step;

import java.util.Optional;

/**
 * One export of one snapshot under one policy: what every step of the pipeline after the kickoff
 * needs to name its ledger keys, steps and notifications.
 *
 * @param policy             the export policy
 * @param taskId             the deterministic export task identifier
 * @param snapshotArn        the snapshot (or cluster) ARN: the pipeline id in the ledger
 * @param snapshotIdentifier the snapshot identifier users know
 * @param sourceId           the DB instance or cluster identifier the snapshot came from
 */
public record ExportSubject(ExportPolicy policy, String taskId, String snapshotArn, String snapshotIdentifier,
                            String sourceId) {

    /** The ledger step name of a pipeline stage for this policy, e.g. {@code acl:analytics}. */
    public String step(String stage) {
        return stage + ":" + policy.name();
    }

    /** A step of this export shown in the snapshot's pipeline as {@code <stage>:<policy>}. */
    public Step step(String stage, String key, Step.FailureNotice onFailure) {
        return Step.of(key, stage, policy.name(), snapshotArn, snapshotIdentifier, onFailure);
    }

    /** A step of this export that {@code /pipelines} does not show (its effect is recorded elsewhere). */
    public Step hiddenStep(String stage, String key) {
        return new Step(key, stage, policy.name(), Optional.empty(), snapshotIdentifier, Step.FailureNotice.NONE);
    }

    /** The ledger key of the export kickoff claim. */
    public String exportKey() {
        return exportKey(snapshotArn, policy.name());
    }

    public static String exportKey(String snapshotArn, String policy) {
        return "export#" + snapshotArn + "#" + policy;
    }
}
