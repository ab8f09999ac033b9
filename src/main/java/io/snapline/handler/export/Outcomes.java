package io.snapline.handler.export;

import io.snapline.error.PermanentProcessingException;
import io.snapline.handler.Outcome;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Folds the outcomes of one message's several exports (one per matching policy) into one answer.
 * A retryable failure wins (the whole message is retried; finished parts answer ALREADY_DONE on
 * the retry), then a re-check (shortest delay), then a permanent failure, then ALREADY_FAILED (a
 * part failed for good before: the message's own claim must not be completed, so that a redrive of
 * the first delivery still reaches that part), then DONE over ALREADY_DONE over SKIPPED.
 */
public final class Outcomes {

    private final List<Outcome> outcomes = new ArrayList<>();
    private RuntimeException retryable;
    private PermanentProcessingException permanent;

    public void add(Outcome outcome) {
        outcomes.add(outcome);
    }

    public void failed(RuntimeException e) {
        if (e instanceof PermanentProcessingException p) {
            permanent = permanent == null ? p : permanent;
        } else {
            retryable = retryable == null ? e : retryable;
        }
    }

    public Outcome result() {
        if (retryable != null) {
            throw retryable;
        }
        Optional<Duration> recheck = outcomes.stream()
                .filter(o -> o.status() == Outcome.Status.RECHECK_LATER)
                .map(o -> o.recheckAfter().orElseThrow())
                .min(Duration::compareTo);
        String reasons = String.join("; ", outcomes.stream().map(Outcome::reason).toList());
        if (recheck.isPresent()) {
            return Outcome.recheckLater(recheck.get(), reasons);
        }
        if (permanent != null) {
            throw permanent;
        }
        for (Outcome.Status status : List.of(Outcome.Status.ALREADY_FAILED, Outcome.Status.DONE,
                Outcome.Status.ALREADY_DONE)) {
            if (outcomes.stream().anyMatch(o -> o.status() == status)) {
                return new Outcome(status, reasons, Optional.empty());
            }
        }
        return Outcome.skipped(reasons.isEmpty() ? "nothing to do" : reasons);
    }
}
