package io.snapline.handler.step;

import java.time.Duration;
import java.util.Objects;

/** What a step's body did; thrown exceptions are the other answers (see {@link StepRunner}). */
public sealed interface StepResult {

    /** The step's detail for the pipeline record and the log line. */
    String detail();

    /** The step did its work; {@code result} is stored in the ledger (e.g. an export task id). */
    record Done(String result, String detail) implements StepResult {
        public Done {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The step kicked off work that AWS carries on (an export task, a copy): the claim is completed
     * with {@code result} like {@link Done}, but the pipeline shows the step STARTED, since its end is
     * another event. {@code already}: AWS had it running or done already (answered "already exists"
     * for the same subject).
     */
    record Started(String result, String detail, boolean already) implements StepResult {
        public Started {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The work was found done already (AWS answered "already exists" for the same subject). */
    record AlreadyDone(String result, String detail) implements StepResult {
        public AlreadyDone {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Nothing to do, for a reason that will not change (e.g. no crawler configured). */
    record Skipped(String detail) implements StepResult {
        public Skipped {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Not ready yet (a snapshot still creating, a job still running): re-check after {@code after}. */
    record Waiting(Duration after, String detail) implements StepResult {
        public Waiting {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(detail, "detail");
        }
    }

    public static Done done(String result, String detail) {
        return new Done(result, detail);
    }

    public static Started started(String result, String detail) {
        return new Started(result, detail, false);
    }

    public static Started alreadyStarted(String result, String detail) {
        return new Started(result, detail, true);
    }

    public static AlreadyDone alreadyDone(String result, String detail) {
        return new AlreadyDone(result, detail);
    }

    public static Skipped skipped(String detail) {
        return new Skipped(detail);
    }

    public static Waiting waiting(Duration after, String detail) {
        return new Waiting(after, detail);
    }
}
