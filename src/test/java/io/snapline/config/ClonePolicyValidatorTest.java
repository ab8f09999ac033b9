package io.snapline.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClonePolicyValidatorTest {

    static ClonePolicy policy(String name, List<String> classes, List<String> maskingGroups, List<String> groups,
                              Map<String, Object> masking, Duration defaultTtl, Duration maxTtl, String localUrl) {
        return new ClonePolicy(name, List.of("orders-*"), masking, null, classes, null, defaultTtl, maxTtl, null,
                maskingGroups, groups, null, null, 2, null, null, null, 4, 50_000, localUrl, localUrl == null ? null : "me",
                null);
    }

    @Test
    void everyProblemAtOnce_eachNamingItsKey() {
        ClonePolicy bad = policy("dev", List.of("r6g.large"), List.of("sg-0123456789abcdef0"), List.of("sg-0123456789abcdef0"),
                Map.of("tables.public.customers.columns.email", "fake:mail"), Duration.ofDays(3), Duration.ofDays(1),
                "jdbc:postgresql://localhost/app");
        List<String> problems = ClonePolicyValidator.problems(List.of(bad), CloningProperties.defaults(),
                new SlackProperties(null, "nope", null), false);
        assertThat(problems).anyMatch(p -> p.startsWith("snapline.clones.dev.instance-classes:"))
                .anyMatch(p -> p.startsWith("snapline.clones.dev.masking-security-groups:") && p.contains("also in"))
                .anyMatch(p -> p.startsWith("snapline.clones.dev.masking.tables.public.customers.columns.email"))
                .anyMatch(p -> p.startsWith("snapline.clones.dev.max-ttl:"))
                .anyMatch(p -> p.startsWith("snapline.clones.dev.local-jdbc-url:") && p.contains("outside local mode"))
                .anyMatch(p -> p.startsWith("snapline.slack.default-policy:"));
    }

    @Test
    void aValidPolicy_hasNoProblem() {
        ClonePolicy ok = policy("dev", List.of("db.t4g.medium"), List.of("sg-0123456789abcdef0"), List.of("sg-0fedcba987654321f"),
                Map.of("tables.public.customers.columns.email", "fake:email"), Duration.ofDays(1), Duration.ofDays(7), null);
        assertThat(ClonePolicyValidator.problems(List.of(ok), CloningProperties.defaults(),
                new SlackProperties(null, "dev", null), false)).isEmpty();
    }
}
