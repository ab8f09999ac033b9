package io.snapline.handler.clone;

import io.snapline.config.ClonePolicy;
import io.snapline.config.SlackProperties;
import io.snapline.message.SafeText;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the arguments of a clone request (the queue command, {@code POST /clones}, the Slack slash
 * command: the same names) into a {@link CloneRequest}, or refuses it with a reason the requester can
 * act on. Only checks that need no AWS call; whether the source exists is the pipeline's first check.
 */
@Singleton
public class CloneRequests {

    static final int REQUESTER_CHARS = 100;

    private final List<ClonePolicy> policies;
    private final SlackProperties slack;

    public CloneRequests(List<ClonePolicy> policies, SlackProperties slack) {
        this.policies = List.copyOf(policies);
        this.slack = slack;
    }

    public List<ClonePolicy> policies() {
        return policies;
    }

    /** The policy of this name. */
    public Optional<ClonePolicy> policy(String name) {
        return policies.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * @param args      {@code policy}, {@code source}, {@code instanceClass}, {@code ttl}, {@code requestedBy},
     *                  {@code responseUrl}
     * @param requestId the request's id, if it has one (else one is made from its content)
     * @throws CloneRefusedException with the reason
     */
    public CloneRequest clone(Map<String, String> args, Optional<String> requestId) {
        String source = args.get("source");
        if (source == null || source.isBlank()) {
            throw new CloneRefusedException("no source: name the DB cluster or DB instance to clone");
        }
        if (!CloneIds.valid(source)) {
            throw new CloneRefusedException("source '" + SafeText.of(source, 80) + "' is not a DB cluster or DB"
                    + " instance identifier");
        }
        ClonePolicy policy = policyFor(args.get("policy"), source);
        String instanceClass = Optional.ofNullable(args.get("instanceClass")).filter(s -> !s.isBlank())
                .map(String::strip).orElse(policy.defaultInstanceClass());
        if (!policy.allowsClass(instanceClass)) {
            throw new CloneRefusedException("instance class '" + SafeText.of(instanceClass, 40) + "' is not allowed by"
                    + " clone policy " + policy.name() + "; use one of " + String.join(", ", policy.instanceClasses()));
        }
        Duration ttl = ttl(policy, args.get("ttl"));
        String requestedBy = requester(args.get("requestedBy"));
        Optional<String> responseUrl = responseUrl(args.get("responseUrl"));
        String id = requestId.filter(s -> !s.isBlank()).map(s -> SafeText.of(s, 200))
                .orElseGet(() -> CloneIds.contentId(policy.name(), source, instanceClass, Ttls.format(ttl), requestedBy));
        return new CloneRequest(policy, source, instanceClass, ttl, requestedBy, id, responseUrl,
                CloneIds.of(policy.name(), source, id));
    }

    /** A TTL the policy allows: the given one, or the policy's default. */
    public Duration ttl(ClonePolicy policy, String text) {
        if (text == null || text.isBlank()) {
            return policy.defaultTtl();
        }
        Duration ttl = Ttls.parse(text).orElseThrow(() -> new CloneRefusedException("ttl '" + SafeText.of(text, 40)
                + "' is not a duration; write 12h, 3d or 1w"));
        if (ttl.compareTo(policy.maxTtl()) > 0) {
            throw new CloneRefusedException("ttl " + Ttls.format(ttl) + " is longer than clone policy " + policy.name()
                    + " allows (at most " + Ttls.format(policy.maxTtl()) + ")");
        }
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new CloneRefusedException("ttl " + SafeText.of(text, 40) + " is shorter than a minute");
        }
        return ttl;
    }

    /** A requester as the service shows and tags it. */
    public static String requester(String text) {
        String r = text == null || text.isBlank() ? "unknown" : SafeText.of(text.strip(), REQUESTER_CHARS);
        return r;
    }

    /** The response URL, if given and on an allowed host. */
    public Optional<String> responseUrl(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            throw new CloneRefusedException("responseUrl is not a URL");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean scheme = "https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme());
        if (!scheme || !slack.responseUrlHosts().contains(host) || text.length() > 2000) {
            throw new CloneRefusedException("responseUrl must be an https URL on " + String.join(" or ",
                    slack.responseUrlHosts()) + " (snapline.slack.response-url-hosts): the hand-over goes nowhere else");
        }
        return Optional.of(uri.toString());
    }

    private ClonePolicy policyFor(String name, String source) {
        String wanted = name != null && !name.isBlank() ? name.strip()
                : Optional.ofNullable(slack.defaultPolicy()).filter(s -> !s.isBlank()).map(String::strip).orElse(null);
        if (wanted != null) {
            ClonePolicy p = policy(wanted).orElseThrow(() -> new CloneRefusedException("unknown clone policy '"
                    + SafeText.of(wanted, 40) + "'; known: " + known()));
            if (!p.allowsSource(source)) {
                throw new CloneRefusedException("clone policy " + p.name() + " does not allow source '" + source
                        + "'; it allows " + String.join(", ", p.sources()));
            }
            return p;
        }
        List<ClonePolicy> allowing = policies.stream().filter(p -> p.allowsSource(source)).toList();
        if (allowing.size() == 1) {
            return allowing.get(0);
        }
        if (allowing.isEmpty()) {
            throw new CloneRefusedException("no clone policy allows source '" + source + "' (policies: " + known() + ")");
        }
        throw new CloneRefusedException("more than one clone policy allows source '" + source + "' ("
                + String.join(", ", allowing.stream().map(ClonePolicy::name).toList()) + "); name the policy");
    }

    private String known() {
        return policies.isEmpty() ? "none configured" : String.join(", ", policies.stream().map(ClonePolicy::name).toList());
    }
}
