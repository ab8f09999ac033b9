package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * AWS client settings ({@code snapline.aws.*}).
 *
 * @param endpoint one endpoint for every AWS client (LocalStack-compatible emulators); S3 then
 *                 uses path-style addressing and S3 Control keeps the endpoint's host
 */
@ConfigurationProperties("snapline.aws")
public record AwsProperties(@Nullable String endpoint) {
}
