package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.Optional;

/**
 * The operator console ({@code snapline.console.*}, served at {@code /}).
 *
 * @param token      the bearer token every action that changes something needs (in Terraform, a
 *                   Secrets Manager secret passed as {@code SNAPLINE_CONSOLE_TOKEN}); unset, the
 *                   console is read-only and says so
 * @param sessionTtl how long a console sign-in lasts
 */
@ConfigurationProperties("snapline.console")
public record ConsoleProperties(
        @Nullable String token,
        @Bindable(defaultValue = "8h") Duration sessionTtl) {

    /** A shorter token is refused at start-up: it could be guessed. */
    public static final int MIN_TOKEN_CHARS = 24;

    public ConsoleProperties {
        sessionTtl = sessionTtl == null ? Duration.ofHours(8) : sessionTtl;
    }

    /** The token, when one is configured (blank is none). */
    public Optional<String> configuredToken() {
        return token == null || token.isBlank() ? Optional.empty() : Optional.of(token);
    }
}
