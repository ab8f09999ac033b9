package io.snapline.gateway;

import java.util.Optional;

/**
 * Whose credentials a gateway uses: the service's own ({@link #DEFAULT}), or a role assumed in
 * another account (cross-account exports: the source account owns the snapshots and the exported
 * objects).
 */
public record AwsAccess(Optional<String> roleArn, Optional<String> externalId) {

    public static final AwsAccess DEFAULT = new AwsAccess(Optional.empty(), Optional.empty());

    public static AwsAccess assume(String roleArn, String externalId) {
        return new AwsAccess(Optional.of(roleArn), Optional.ofNullable(externalId));
    }
}
