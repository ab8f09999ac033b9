package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The Slack slash command ({@code POST /slack/commands}, {@code snapline.slack.*}).
 *
 * @param signingSecret the Slack app's signing secret (from Secrets Manager, as an ECS secret); unset: the
 *                      endpoint refuses every request
 * @param defaultPolicy the clone policy a slash command uses when it names none (default: the only policy
 *                      that allows the source)
 */
@ConfigurationProperties("snapline.slack")
public record SlackProperties(@Nullable String signingSecret, @Nullable String defaultPolicy) {
}
