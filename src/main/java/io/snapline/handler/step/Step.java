package io.snapline.handler.step;

import java.util.Objects;
import java.util.Optional;

/**
 * One idempotent step of a pipeline, as the {@link StepRunner} needs it.
 *
 * @param key                the ledger key of the business operation ({@code export#<snapshotArn>#<policy>},
 *                           {@code acl#<taskId>}, …): the step runs at most once per key
 * @param stage              what kind of step it is ({@code export}, {@code acl}, {@code crawl}, {@code snapshot},
 *                           {@code copy}, …): a metric tag and the first half of the step's name
 * @param policy             the policy the step runs under: the second half of the step's name
 * @param pipelineId         the pipeline the step belongs to in {@code /pipelines} (a snapshot ARN, a clone id),
 *                           or empty for a step that is not shown there
 * @param pipelineIdentifier the identifier users know the pipeline by (the snapshot identifier)
 * @param onFailure          told once, ever, when the step fails permanently (a notification)
 */
public record Step(String key, String stage, String policy, Optional<String> pipelineId, String pipelineIdentifier,
                   FailureNotice onFailure) {

    public Step {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(policy, "policy");
        pipelineId = pipelineId == null ? Optional.empty() : pipelineId;
        pipelineIdentifier = pipelineIdentifier == null ? "" : pipelineIdentifier;
        onFailure = onFailure == null ? FailureNotice.NONE : onFailure;
    }

    /** A step shown in the pipeline of {@code pipelineId}. */
    public static Step of(String key, String stage, String policy, String pipelineId, String pipelineIdentifier,
                          FailureNotice onFailure) {
        return new Step(key, stage, policy, Optional.of(pipelineId), pipelineIdentifier, onFailure);
    }

    /** The step's name in the pipeline: {@code <stage>:<policy>}, e.g. {@code export:analytics}. */
    public String name() {
        return stage + ":" + policy;
    }

    /** Told when a step fails permanently; called at most once per step key. */
    @FunctionalInterface
    public interface FailureNotice {

        FailureNotice NONE = (step, reason) -> { };

        /**
         * @param step   the step that failed
         * @param reason why, as recorded in the ledger and the dead letter
         */
        void stepFailed(Step step, String reason);
    }
}
