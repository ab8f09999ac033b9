package io.snapline.handler.clone;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * What the service keeps of a clone request once it is accepted (the ledger's
 * {@code clone#<id>#request} result, written once by the first delivery): a re-check reads the same
 * expiry, requester and resources back, whatever the clock says then.
 *
 * @param kind        {@code cluster} (Aurora copy-on-write clone: the DB cluster {@code id} and its
 *                    instance {@code <id>-1}) or {@code instance} (an RDS instance {@code id} restored
 *                    from {@code snapshot})
 * @param sourceClass the source's instance class, the masking class when the policy names none
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CloneRecord(String id, String policy, String source, String kind, String engine, String snapshot,
                          String sourceClass, String instanceClass, String requestedBy, String responseUrl,
                          String requestedAt, String expiresAt) {

    public static final String CLUSTER = "cluster";
    public static final String INSTANCE = "instance";

    public Instant expiry() {
        return Instant.parse(expiresAt);
    }

    public boolean aurora() {
        return CLUSTER.equals(kind);
    }

    /** The DB instance the clone is reached through. */
    public String instanceId() {
        return aurora() ? CloneIds.clusterInstance(id) : id;
    }
}
