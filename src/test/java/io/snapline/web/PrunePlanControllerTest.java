package io.snapline.web;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.snapline.handler.prune.PlanJson;
import io.snapline.handler.prune.PolicyPlan;
import io.snapline.handler.prune.PrunePlans;
import io.snapline.handler.prune.RunPlan;
import io.snapline.handler.prune.SnapshotDecision;
import io.snapline.handler.prune.SnapshotSourcePlan;
import io.snapline.handler.prune.Verdict;
import io.snapline.message.SnapshotRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrunePlanControllerTest {

    @Test
    void servesTheLatestPlanOfEachPolicyAsJson() throws Exception {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1));
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            Instant at = Instant.parse("2026-11-23T12:00:00Z");
            SnapshotDecision d = new SnapshotDecision("snapline-old", "arn:aws:rds:us-east-1:1:snapshot:snapline-old",
                    SnapshotRef.Scope.DB_SNAPSHOT, at, Verdict.DELETE, List.of("beyond keep-last 1"));
            SnapshotSourcePlan source = new SnapshotSourcePlan("daily", "orders", SnapshotRef.Scope.DB_SNAPSHOT, 3, 2,
                    List.of(d), List.of(), 1, List.of(), Map.of("automated", 1));
            server.getApplicationContext().getBean(PrunePlans.class).put(new RunPlan("run-1", at, "command", true,
                    List.of(new PolicyPlan("daily", "snapshots", at, true, "command", List.of(source), List.of(),
                            List.of(), 0, List.of(), List.of()))));

            String body = client.toBlocking().retrieve(HttpRequest.GET("/prune/plan"), String.class);
            Map<String, Object> json = PlanJson.mapper().readValue(body,
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
            assertThat(json).containsKey("snapshots:daily");
            assertThat(body).contains("\"snapline-old\"").contains("\"DELETE\"").contains("beyond keep-last 1")
                    .contains("\"dryRun\":true").contains("2026-11-23T12:00:00Z");

            assertThat(client.toBlocking().retrieve(HttpRequest.GET("/prune/plan?policy=daily"), String.class)).contains("snapline-old");
            assertThatThrownBy(() -> client.toBlocking().retrieve(HttpRequest.GET("/prune/plan?policy=nope"), String.class))
                    .isInstanceOfSatisfying(HttpClientResponseException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(HttpStatus.NOT_FOUND.getCode()));
        }
    }
}
