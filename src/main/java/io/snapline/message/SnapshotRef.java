package io.snapline.message;

import java.util.Optional;

/**
 * A DB snapshot, a DB cluster snapshot, or (for Aurora direct export) a DB cluster.
 *
 * @param identifier the snapshot identifier as RDS names it ({@code rds:db-2024-01-01-00-00},
 *                   {@code awsbackup:job-…}, or a bare manual name)
 * @param scope      what the identifier names
 * @param arn        the ARN, when the event carried one (RDS event-subscription payloads from
 *                   2018–2019 lack {@code Source ARN})
 * @param region     the region, from the ARN, the EventBridge envelope or the console link, if known
 */
public record SnapshotRef(String identifier, Scope scope, Optional<String> arn, Optional<String> region) {

    /** What an identifier names. */
    public enum Scope { DB_SNAPSHOT, CLUSTER_SNAPSHOT, CLUSTER }

    public SnapshotRef {
        if (identifier == null || identifier.isBlank()) {
            throw new IllegalArgumentException("snapshot identifier is blank");
        }
        java.util.Objects.requireNonNull(scope, "scope");
        arn = arn == null ? Optional.empty() : arn;
        region = region == null ? Optional.empty() : region;
    }

    /** The account id from the ARN, if there is one. */
    public Optional<String> accountId() {
        return arn.flatMap(Arn::parse).map(Arn::account).filter(a -> !a.isEmpty());
    }

    /** The ARN when known, else the identifier: the stable name used in ledger keys. */
    public String id() {
        return arn.orElse(identifier);
    }
}
