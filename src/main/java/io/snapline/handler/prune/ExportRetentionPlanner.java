package io.snapline.handler.prune;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides, without side effects, which exports of one source an export policy's retention deletes.
 *
 * <p>Exports are ordered newest first (end time, else start time; equal times: the greater task id
 * counts as newer). Rules:
 * <ul>
 *   <li>an export whose task is not terminal is {@link Verdict#PROTECTED} ({@code in-progress});</li>
 *   <li>until one export of the source has completed, nothing is deleted; the newest completed export
 *       is always kept, and an export newer than it (a newer failed one) is protected: an export is
 *       deleted only after a newer export of the same source has completed;</li>
 *   <li>{@code keep-last K} keeps the newest K <em>completed</em> exports (K = 1: latest only);</li>
 *   <li>{@code keep-days N} keeps every export at most N×24h old (exactly N days old is kept);</li>
 *   <li>everything else, completed, failed or canceled, is deleted.</li>
 * </ul>
 */
public final class ExportRetentionPlanner {

    /** Newest first: later time first, then the greater task id. */
    public static final Comparator<ExportEntry> NEWEST_FIRST = Comparator
            .comparing(ExportEntry::time, Comparator.reverseOrder())
            .thenComparing(ExportEntry::taskId, Comparator.reverseOrder());

    private final Integer keepDays;
    private final Integer keepLast;
    private final Instant now;

    public ExportRetentionPlanner(Integer keepDays, Integer keepLast, Instant now) {
        if (keepDays == null && keepLast == null) {
            throw new IllegalArgumentException("export retention needs keep-days or keep-last");
        }
        this.keepDays = keepDays;
        this.keepLast = keepLast;
        this.now = now;
    }

    /** Plans the exports of one source (all of them: exports of a policy are few). */
    public List<ExportDecision> plan(List<ExportEntry> exportsOfOneSource) {
        List<ExportDecision> out = new ArrayList<>();
        List<ExportEntry> sorted = new ArrayList<>();
        for (ExportEntry e : exportsOfOneSource) {
            if (!e.terminal()) {
                out.add(new ExportDecision(e, Verdict.PROTECTED, List.of("in-progress:" + e.status())));
            } else if (e.time() == null) {
                out.add(new ExportDecision(e, Verdict.PROTECTED, List.of("no-time")));
            } else {
                sorted.add(e);
            }
        }
        sorted.sort(NEWEST_FIRST);
        boolean newerCompleteSeen = false;
        int completeRank = 0;
        Instant keepFrom = keepDays == null ? null : now.minus(Duration.ofDays(keepDays));
        for (ExportEntry e : sorted) {
            List<String> keep = new ArrayList<>();
            List<String> notKept = new ArrayList<>();
            if (e.complete()) {
                completeRank++;
                if (completeRank == 1) {
                    keep.add("newest completed export");
                }
                if (keepLast != null) {
                    if (completeRank <= keepLast) {
                        keep.add("keep-last #" + completeRank);
                    } else {
                        notKept.add("#" + completeRank + " newest completed, beyond keep-last " + keepLast);
                    }
                }
            } else {
                notKept.add("export " + e.status());
            }
            if (keepFrom != null) {
                if (!e.time().isBefore(keepFrom)) {
                    keep.add("keep-days " + keepDays);
                } else {
                    long hours = Duration.between(e.time(), now).toHours();
                    notKept.add(hours / 24 + "d " + hours % 24 + "h old, beyond keep-days " + keepDays);
                }
            }
            if (!keep.isEmpty()) {
                out.add(new ExportDecision(e, Verdict.KEEP, keep));
            } else if (!newerCompleteSeen) {
                out.add(new ExportDecision(e, Verdict.PROTECTED, List.of("no newer completed export")));
            } else {
                out.add(new ExportDecision(e, Verdict.DELETE, notKept));
            }
            if (e.complete()) {
                newerCompleteSeen = true;
            }
        }
        return out;
    }
}
