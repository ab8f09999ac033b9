package io.snapline.handler.prune;

import io.snapline.config.RetentionPolicy;
import io.snapline.gateway.SnapshotGateway.SnapshotInfo;
import io.snapline.message.SnapshotRef;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Decides, without side effects, which snapshots of one source a {@link RetentionPolicy} deletes.
 *
 * <p><b>Safety first.</b> A snapshot can be deleted only if <em>all</em> hold: its type is
 * {@code manual} (and its identifier does not start with {@code rds:} or {@code awsbackup:}); its
 * identifier starts with the policy's {@code name-prefix}; it carries the management tag with the
 * configured value; its status is {@code available}; no non-terminal export task reads it; and no
 * keep rule keeps it. Everything else is {@link Verdict#PROTECTED}: counted by reason, listed by id
 * up to the list limit, never held in full.
 *
 * <p><b>Keep rules</b> are a union, evaluated over the source's managed, available snapshots ordered
 * newest first (later creation time first; equal times: the greater identifier counts as newer):
 * <ul>
 *   <li>{@code keep-last K}: the first K in that order;</li>
 *   <li>{@code keep-days N}: created at or after {@code now - N×24h}: exactly N days old is kept;</li>
 *   <li>{@code keep-daily/weekly/monthly M}: the newest snapshot of each of the M calendar days / ISO
 *       weeks (Monday first) / months ending with the current one, cut in the policy's time zone.</li>
 * </ul>
 *
 * <p><b>Memory.</b> One {@link SourcePlanner} holds the managed snapshots of one source only; feed it
 * one page at a time from {@code SnapshotGateway.forEachSnapshot}.
 */
public final class SnapshotRetentionPlanner {

    /** Newest first: later creation time first, then the greater identifier. */
    public static final Comparator<SnapshotInfo> NEWEST_FIRST = Comparator
            .comparing(SnapshotInfo::createTime, Comparator.reverseOrder())
            .thenComparing(SnapshotInfo::identifier, Comparator.reverseOrder());

    private final RetentionPolicy policy;
    private final Instant now;
    private final Set<String> inExportArns;
    private final int listLimit;

    /**
     * @param inExportArns the source ARNs of export tasks that are not terminal (from
     *                     {@code ExportGateway.forEachExportTask}); those snapshots are protected
     * @param listLimit    at most this many kept / protected snapshots are listed per source
     */
    public SnapshotRetentionPlanner(RetentionPolicy policy, Instant now, Set<String> inExportArns, int listLimit) {
        this.policy = policy;
        this.now = now;
        this.inExportArns = Set.copyOf(inExportArns);
        this.listLimit = listLimit;
    }

    /** Plans one source from an iterable of its snapshots. */
    public SnapshotSourcePlan plan(SnapshotRef.Scope scope, String sourceId, Iterable<SnapshotInfo> snapshots) {
        SourcePlanner planner = forSource(scope, sourceId);
        snapshots.forEach(planner);
        return planner.finish();
    }

    /** A planner for one source, to be fed every snapshot listed for it. */
    public SourcePlanner forSource(SnapshotRef.Scope scope, String sourceId) {
        return new SourcePlanner(scope, sourceId);
    }

    /**
     * Why a snapshot is protected, or null when it is a managed snapshot of this policy (manual,
     * prefixed, tagged). Availability and exports are checked separately.
     */
    String protection(SnapshotInfo s, String sourceId) {
        String type = s.snapshotType() == null ? "" : s.snapshotType();
        String id = s.identifier() == null ? "" : s.identifier();
        // RDS reports types in lower case; anything else is not "manual" and so is protected.
        if (type.equals("automated") || id.startsWith("rds:")) {
            return "automated";
        }
        if (type.equals("awsbackup") || id.startsWith("awsbackup:")) {
            return "awsbackup";
        }
        if (type.equals("shared")) {
            return "shared";
        }
        if (type.equals("public")) {
            return "public";
        }
        if (!type.equals("manual")) {
            return "not-manual:" + type;
        }
        if (sourceId != null && s.sourceId() != null && !sourceId.equalsIgnoreCase(s.sourceId())) {
            return "other-source";
        }
        if (policy.namePrefix() == null || policy.namePrefix().isEmpty() || !id.startsWith(policy.namePrefix())) {
            return "name-prefix-mismatch";
        }
        if (!policy.tagValue().equals(s.tags().get(policy.tagKey()))) {
            return "untagged";
        }
        return null;
    }

    /** Accumulates one source's snapshots; {@link #finish()} applies the keep rules. */
    public final class SourcePlanner implements Consumer<SnapshotInfo> {

        private final SnapshotRef.Scope scope;
        private final String sourceId;
        private final List<SnapshotInfo> ranked = new ArrayList<>();
        private final List<SnapshotDecision> protectedListed = new ArrayList<>();
        private final Map<String, Integer> protectedCounts = new TreeMap<>();
        private int seen;
        private int managed;
        private boolean finished;

        private SourcePlanner(SnapshotRef.Scope scope, String sourceId) {
            this.scope = scope;
            this.sourceId = sourceId;
        }

        @Override
        public void accept(SnapshotInfo s) {
            if (finished) {
                throw new IllegalStateException("plan already finished");
            }
            seen++;
            String protection = protection(s, sourceId);
            if (protection == null) {
                managed++;
                if (!"available".equals(s.status())) {
                    protection = "not-available:" + s.status();
                } else if (s.createTime() == null) {
                    protection = "no-create-time";
                }
            }
            if (protection != null) {
                protect(s, List.of(protection));
                return;
            }
            ranked.add(s);
        }

        private void protect(SnapshotInfo s, List<String> reasons) {
            protectedCounts.merge(reasons.get(0).replaceFirst(":.*", ""), 1, Integer::sum);
            if (protectedListed.size() < listLimit) {
                protectedListed.add(new SnapshotDecision(s.identifier(), s.arn(), s.scope(), s.createTime(),
                        Verdict.PROTECTED, reasons));
            }
        }

        /** Applies the keep rules and returns the plan. */
        public SnapshotSourcePlan finish() {
            finished = true;
            ranked.sort(NEWEST_FIRST);
            ZoneId zone = policy.zone();
            LocalDate today = now.atZone(zone).toLocalDate();
            Instant keepDaysFrom = policy.keepDays() == null ? null : now.minus(Duration.ofDays(policy.keepDays()));
            Set<LocalDate> days = new HashSet<>();
            Set<LocalDate> weeks = new HashSet<>();
            Set<YearMonth> months = new HashSet<>();
            List<SnapshotDecision> deletions = new ArrayList<>();
            List<SnapshotDecision> kept = new ArrayList<>();
            int keptCount = 0;
            for (int i = 0; i < ranked.size(); i++) {
                SnapshotInfo s = ranked.get(i);
                Set<String> keep = new LinkedHashSet<>();
                Set<String> notKept = new LinkedHashSet<>();
                if (policy.keepLast() != null) {
                    if (i < policy.keepLast()) {
                        keep.add("keep-last #" + (i + 1));
                    } else {
                        notKept.add("#" + (i + 1) + " newest, beyond keep-last " + policy.keepLast());
                    }
                }
                long ageHours = Duration.between(s.createTime(), now).toHours();
                if (keepDaysFrom != null) {
                    if (!s.createTime().isBefore(keepDaysFrom)) {
                        keep.add("keep-days " + policy.keepDays());
                    } else {
                        notKept.add(ageHours / 24 + "d " + ageHours % 24 + "h old, beyond keep-days "
                                + policy.keepDays());
                    }
                }
                LocalDate date = s.createTime().atZone(zone).toLocalDate();
                if (policy.keepDaily() != null) {
                    if (!date.isBefore(today.minusDays(policy.keepDaily() - 1L)) && days.add(date)) {
                        keep.add("keep-daily " + date);
                    } else {
                        notKept.add("not the newest of one of the last " + policy.keepDaily() + " days");
                    }
                }
                if (policy.keepWeekly() != null) {
                    LocalDate week = date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                    LocalDate thisWeek = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                    if (!week.isBefore(thisWeek.minusWeeks(policy.keepWeekly() - 1L)) && weeks.add(week)) {
                        keep.add("keep-weekly " + week.get(IsoFields.WEEK_BASED_YEAR) + "-W"
                                + String.format(Locale.ROOT, "%02d", week.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
                    } else {
                        notKept.add("not the newest of one of the last " + policy.keepWeekly() + " ISO weeks");
                    }
                }
                if (policy.keepMonthly() != null) {
                    YearMonth month = YearMonth.from(date);
                    if (!month.isBefore(YearMonth.from(today).minusMonths(policy.keepMonthly() - 1L))
                            && months.add(month)) {
                        keep.add("keep-monthly " + month);
                    } else {
                        notKept.add("not the newest of one of the last " + policy.keepMonthly() + " months");
                    }
                }
                if (!keep.isEmpty()) {
                    keptCount++;
                    if (kept.size() < listLimit) {
                        kept.add(new SnapshotDecision(s.identifier(), s.arn(), s.scope(), s.createTime(),
                                Verdict.KEEP, List.copyOf(keep)));
                    }
                } else if (s.arn() != null && inExportArns.contains(s.arn())) {
                    protect(s, List.of("in-export"));
                } else {
                    deletions.add(new SnapshotDecision(s.identifier(), s.arn(), s.scope(), s.createTime(),
                            Verdict.DELETE, List.copyOf(notKept)));
                }
            }
            ranked.clear();
            return new SnapshotSourcePlan(policy.name(), sourceId, scope, seen, managed, deletions, kept, keptCount,
                    protectedListed, protectedCounts);
        }
    }
}
