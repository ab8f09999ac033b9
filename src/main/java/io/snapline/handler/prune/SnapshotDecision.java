package io.snapline.handler.prune;

import io.snapline.message.SnapshotRef;

import java.time.Instant;
import java.util.List;

/**
 * One snapshot in a plan and why: for {@link Verdict#KEEP} the rules that keep it
 * ({@code keep-last #2}, {@code keep-days 30}, {@code keep-daily 2026-11-20}); for
 * {@link Verdict#DELETE} why no rule keeps it; for {@link Verdict#PROTECTED} the protection
 * ({@code automated}, {@code in-export}, …).
 */
public record SnapshotDecision(String identifier, String arn, SnapshotRef.Scope scope, Instant createTime,
                               Verdict verdict, List<String> rules) {

    public SnapshotDecision {
        rules = List.copyOf(rules);
    }

    /** The rules as one line, for the ledger and notifications. */
    public String why() {
        return String.join("; ", rules);
    }
}
