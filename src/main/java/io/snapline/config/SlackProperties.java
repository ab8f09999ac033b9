package io.snapline.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * The Slack slash command ({@code POST /slack/commands}, {@code snapline.slack.*}).
 *
 * @param signingSecret    the Slack app's signing secret (from Secrets Manager, as an ECS secret); unset: the
 *                         endpoint refuses every request
 * @param defaultPolicy    the clone policy a slash command uses when it names none (default: the only policy
 *                         that allows the source)
 * @param responseUrlHosts the hosts a request's {@code responseUrl} may point at (default {@code hooks.slack.com}):
 *                         the hand-over names the clone's endpoint and secret, so it goes nowhere else
 */
@ConfigurationProperties("snapline.slack")
public record SlackProperties(@Nullable String signingSecret, @Nullable String defaultPolicy,
                              @Nullable List<String> responseUrlHosts) {

    public SlackProperties {
        responseUrlHosts = responseUrlHosts == null || responseUrlHosts.isEmpty() ? List.of("hooks.slack.com")
                : List.copyOf(responseUrlHosts);
    }
}
