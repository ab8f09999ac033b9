package io.snapline.message;

import io.snapline.message.ExportTaskFinished.Status;
import io.snapline.message.SnapshotCreated.Origin;
import io.snapline.message.SnapshotRef.Scope;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The RDS event ids Snapline acts on, as data: one row per id, whichever envelope (SNS
 * event-subscription message or EventBridge event) carried it. An id without a row is ignored as
 * {@code rds-event}. RDS events are classified by id, never by their message text, which changes
 * between AWS releases (AWS-FACTS §1).
 *
 * <p>To act on another id with an existing action, add one row. A new kind of action (say, "DB
 * cluster created", RDS-EVENT-0170) is one {@link Action} constant, one row, and one case in
 * {@link RdsEvents#decide}, which the compiler asks for.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.Messages.html">RDS event
 *      categories and messages</a>
 * @see <a href="https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Events.Messages.html">Aurora
 *      event categories and messages</a>
 */
final class RdsEventTable {

    /** What Snapline does with an event. */
    enum Action {
        /** A snapshot is available: {@link SnapshotCreated}. */
        CREATED,
        /** A snapshot is being made or copied: ignored until its "created" event. */
        CREATING,
        /** An export task reached a terminal state: {@link ExportTaskFinished}. */
        EXPORT_FINISHED,
        /** A snapshot copy was canceled: {@link SnapshotCopyCanceled}. */
        COPY_CANCELED
    }

    /**
     * One row.
     *
     * @param eventId the bare id, {@code RDS-EVENT-nnnn}
     * @param scope   what the event is about, or null when the event itself says (snapshot copies,
     *                whose ids fit DB and cluster snapshots alike)
     * @param origin  for {@link Action#CREATED}: who made the snapshot
     * @param status  for {@link Action#EXPORT_FINISHED}: the terminal state
     * @param label   the event in words, for reasons
     */
    record Rule(String eventId, Action action, Scope scope, Origin origin, Status status, String label) {
    }

    private static final List<Rule> RULES = List.of(
            created("0042", Scope.DB_SNAPSHOT, Origin.MANUAL, "manual snapshot created"),
            created("0091", Scope.DB_SNAPSHOT, Origin.AUTOMATED, "automated snapshot created"),
            created("0075", Scope.CLUSTER_SNAPSHOT, Origin.MANUAL, "manual cluster snapshot created"),
            created("0169", Scope.CLUSTER_SNAPSHOT, Origin.AUTOMATED, "automated cluster snapshot created"),
            created("0060", null, Origin.COPY, "finished cross-region snapshot copy"),
            created("0197", null, Origin.COPY, "finished snapshot copy"),
            creating("0040", Scope.DB_SNAPSHOT, "creating manual snapshot"),
            creating("0090", Scope.DB_SNAPSHOT, "creating automated snapshot"),
            creating("0074", Scope.CLUSTER_SNAPSHOT, "creating manual cluster snapshot"),
            creating("0168", Scope.CLUSTER_SNAPSHOT, "creating automated cluster snapshot"),
            creating("0059", null, "started cross-region snapshot copy"),
            creating("0196", null, "started snapshot copy"),
            new Rule("RDS-EVENT-0061", Action.COPY_CANCELED, null, null, null, "canceled cross-region snapshot copy"),
            new Rule("RDS-EVENT-0190", Action.COPY_CANCELED, null, null, null, "canceled snapshot copy"),
            exportFinished("0159", Scope.DB_SNAPSHOT, Status.FAILED),
            exportFinished("0160", Scope.DB_SNAPSHOT, Status.CANCELED),
            exportFinished("0161", Scope.DB_SNAPSHOT, Status.COMPLETED),
            exportFinished("0162", Scope.CLUSTER_SNAPSHOT, Status.FAILED),
            exportFinished("0163", Scope.CLUSTER_SNAPSHOT, Status.CANCELED),
            exportFinished("0164", Scope.CLUSTER_SNAPSHOT, Status.COMPLETED),
            exportFinished("0234", Scope.CLUSTER, Status.FAILED),
            exportFinished("0235", Scope.CLUSTER, Status.CANCELED),
            exportFinished("0236", Scope.CLUSTER, Status.COMPLETED));

    /**
     * EventBridge cluster-snapshot events may come without {@code detail.EventID} (UNVERIFIED,
     * AWS-FACTS §2); then the message text is the only signal, matched case-insensitively and in
     * this order. A text that starts "creating" and names a cluster snapshot is a creating event.
     */
    private static final Map<String, String> CLUSTER_SNAPSHOT_TEXTS = textFallback();

    private static final Map<String, Rule> BY_ID = byId();

    private RdsEventTable() {
    }

    /** The row for a bare id, or null when Snapline does not act on it. */
    static Rule rule(String eventId) {
        return BY_ID.get(eventId);
    }

    /** Every row, in table order. */
    static List<Rule> rules() {
        return RULES;
    }

    /**
     * The {@code RDS-EVENT-nnnn} id inside a bare id or a documentation URL
     * ({@code http://docs.aws.amazon.com/...#RDS-EVENT-0169}, or the older host
     * {@code docs.amazonwebservices.com}); null when there is none. All the digits are kept, so that a
     * longer future id never aliases a known four-digit one.
     */
    static String extractEventId(String text) {
        int i = text.indexOf("RDS-EVENT-");
        if (i < 0) {
            return null;
        }
        int start = i + "RDS-EVENT-".length();
        int end = start;
        while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
            end++;
        }
        if (end - start < 4) {
            return null;
        }
        return end == text.length() && i == 0 ? text : text.substring(i, end);
    }

    /** True when a cluster-snapshot message text without an id says the snapshot is being created. */
    static boolean isCreatingClusterSnapshotText(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return m.startsWith("creating") && m.contains("cluster snapshot");
    }

    /** The event id a cluster-snapshot message text without an id stands for, or null. */
    static String eventIdForClusterSnapshotText(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : CLUSTER_SNAPSHOT_TEXTS.entrySet()) {
            if (m.contains(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private static Rule created(String id, Scope scope, Origin origin, String label) {
        return new Rule("RDS-EVENT-" + id, Action.CREATED, scope, origin, null, label);
    }

    private static Rule creating(String id, Scope scope, String label) {
        return new Rule("RDS-EVENT-" + id, Action.CREATING, scope, null, null, label);
    }

    private static Rule exportFinished(String id, Scope scope, Status status) {
        return new Rule("RDS-EVENT-" + id, Action.EXPORT_FINISHED, scope, null, status,
                "export task " + status.name().toLowerCase(Locale.ROOT));
    }

    private static Map<String, String> textFallback() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("automated cluster snapshot created", "RDS-EVENT-0169");
        m.put("manual cluster snapshot created", "RDS-EVENT-0075");
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, Rule> byId() {
        Map<String, Rule> m = new LinkedHashMap<>();
        for (Rule r : RULES) {
            if (m.put(r.eventId(), r) != null) {
                throw new IllegalStateException("RDS event id listed twice: " + r.eventId());
            }
        }
        return Map.copyOf(m);
    }
}
