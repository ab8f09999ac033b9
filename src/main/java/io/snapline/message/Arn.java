package io.snapline.message;

import java.util.Objects;
import java.util.Optional;

/**
 * An Amazon Resource Name, parsed once: {@code arn:<partition>:<service>:<region>:<account>:<resource>}.
 * The resource keeps every colon it has, so {@code arn:aws:rds:eu-west-1:123456789012:snapshot:rds:db-2024-01-01-00-00}
 * has resource type {@code snapshot} and resource id {@code rds:db-2024-01-01-00-00}.
 *
 * <p>Parsing is total: {@link #parse} answers empty for anything that is not an ARN (a bare identifier,
 * an empty string, a hostile string), so callers never split strings on {@code ':'} themselves.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html">ARN format</a>
 */
public record Arn(String partition, String service, String region, String account, String resource) {

    public Arn {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(resource, "resource");
    }

    /** The ARN in {@code text}, or empty when it is not one (fewer than six parts, or no {@code arn:} prefix). */
    public static Optional<Arn> parse(String text) {
        if (text == null || !text.startsWith("arn:")) {
            return Optional.empty();
        }
        String[] p = text.split(":", 6);
        if (p.length < 6 || p[1].isEmpty() || p[2].isEmpty() || p[5].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arn(p[1], p[2], p[3], p[4], p[5]));
    }

    /** True when {@code text} parses as an ARN. */
    public static boolean isArn(String text) {
        return parse(text).isPresent();
    }

    /** An RDS ARN: {@code arn:<partition of region>:rds:<region>:<account>:<type>:<id>}. */
    public static Arn rds(String region, String account, String type, String id) {
        return new Arn(partitionOf(region), "rds", region, account, type + ":" + id);
    }

    /** The partition a region belongs to ({@code aws-cn}, {@code aws-us-gov}, else {@code aws}). */
    public static String partitionOf(String region) {
        if (region == null) {
            return "aws";
        }
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }

    /**
     * The resource type: the part of the resource before its first {@code ':'} or {@code '/'}
     * ({@code snapshot}, {@code cluster-snapshot}, {@code role}); empty when the resource has none
     * (an SQS queue ARN's resource is just the queue name).
     */
    public String resourceType() {
        int cut = separator();
        return cut < 0 ? "" : resource.substring(0, cut);
    }

    /** The resource after its type ({@code rds:db-2024-…} for a snapshot); the whole resource when it has no type. */
    public String resourceId() {
        int cut = separator();
        return cut < 0 ? resource : resource.substring(cut + 1);
    }

    private int separator() {
        int colon = resource.indexOf(':');
        int slash = resource.indexOf('/');
        if (colon < 0) {
            return slash;
        }
        return slash < 0 ? colon : Math.min(colon, slash);
    }

    /** What an RDS ARN names: a DB snapshot, a DB cluster snapshot or a DB cluster; empty for anything else. */
    public Optional<SnapshotRef.Scope> rdsScope() {
        if (!service.equals("rds")) {
            return Optional.empty();
        }
        return switch (resourceType()) {
            case "snapshot" -> Optional.of(SnapshotRef.Scope.DB_SNAPSHOT);
            case "cluster-snapshot" -> Optional.of(SnapshotRef.Scope.CLUSTER_SNAPSHOT);
            case "cluster" -> Optional.of(SnapshotRef.Scope.CLUSTER);
            default -> Optional.empty();
        };
    }

    /** The RDS resource type that names a scope in an ARN. */
    public static String rdsType(SnapshotRef.Scope scope) {
        return switch (scope) {
            case DB_SNAPSHOT -> "snapshot";
            case CLUSTER_SNAPSHOT -> "cluster-snapshot";
            case CLUSTER -> "cluster";
        };
    }

    /** The same resource in another region (a cross-region copy's target keeps its identifier). */
    public Arn inRegion(String otherRegion) {
        return new Arn(partitionOf(otherRegion), service, otherRegion, account, resource);
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
    }
}
