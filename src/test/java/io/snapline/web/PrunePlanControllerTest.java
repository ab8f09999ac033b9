package io.snapline.web;

import com.fasterxml.jackson.core.type.TypeReference;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code GET /prune/plan} over the plans stored in the ledger: today's JSON shape, still there after
 * the service restarts over the same journal, and a plan too long to inline served in pages.
 */
class PrunePlanControllerTest {

    static final Instant AT = Instant.parse("2026-11-23T12:00:00Z");

    static EmbeddedServer start(Path ledger) {
        return ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "snapline.ledger.path", ledger.toString(), "snapline.local.sqs-port", 0,
                "snapline.retention.daily.sources", "orders", "snapline.retention.daily.name-prefix", "snapline-",
                "snapline.retention.daily.keep-last", "1"));
    }

    static RunPlan run(String policy, int deletions) {
        List<SnapshotDecision> deleted = new ArrayList<>();
        for (int i = 0; i < deletions; i++) {
            String id = String.format("snapline-old-%06d", i);
            deleted.add(new SnapshotDecision(id, "arn:aws:rds:us-east-1:1:snapshot:" + id, SnapshotRef.Scope.DB_SNAPSHOT,
                    AT.minusSeconds(86_400L + i), Verdict.DELETE, List.of("#" + (i + 2) + " newest, beyond keep-last 1")));
        }
        SnapshotSourcePlan source = new SnapshotSourcePlan(policy, "orders", SnapshotRef.Scope.DB_SNAPSHOT,
                deletions + 2, deletions + 1, deleted, List.of(), 1, List.of(), Map.of("automated", 1));
        return new RunPlan(UUID.randomUUID().toString(), AT, "command", true, List.of(new PolicyPlan(policy,
                "snapshots", AT, true, "command", List.of(source), List.of(), List.of(), 0, List.of(), List.of())));
    }

    @Test
    void servesTheLatestPlanOfEachPolicyAsJson_andStillDoesAfterARestart() throws Exception {
        Path ledger = Files.createTempDirectory("snapline-plan-web").resolve("ledger.jsonl");
        RunPlan run = run("daily", 1);
        try (EmbeddedServer server = start(ledger)) {
            server.getApplicationContext().getBean(PrunePlans.class).put(run);
        }

        try (EmbeddedServer server = start(ledger);
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            String body = client.toBlocking().retrieve(HttpRequest.GET("/prune/plan"), String.class);
            Map<String, PolicyPlan> json = PlanJson.mapper().readValue(body, new TypeReference<>() { });
            assertThat(json).containsOnlyKeys("snapshots:daily");
            assertThat(json.get("snapshots:daily")).isEqualTo(run.policies().get(0));
            assertThat(body).contains("\"snapline-old-000000\"").contains("\"DELETE\"").contains("beyond keep-last 1")
                    .contains("\"dryRun\":true").contains("2026-11-23T12:00:00Z").contains("\"deleteCount\":1");

            assertThat(client.toBlocking().retrieve(HttpRequest.GET("/prune/plan?policy=daily"), String.class))
                    .contains("snapline-old-000000");
            assertThatThrownBy(() -> client.toBlocking().retrieve(HttpRequest.GET("/prune/plan?policy=nope"), String.class))
                    .isInstanceOfSatisfying(HttpClientResponseException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(HttpStatus.NOT_FOUND.getCode()));
            String manifest = client.toBlocking().retrieve(HttpRequest.GET("/prune/plan/snapshots/daily"), String.class);
            assertThat(manifest).contains("\"runId\":\"" + run.runId() + "\"").contains("\"pages\":1");
        }
    }

    @Test
    void aPlanTooLongToInline_isServedAsItsManifest_andItsPagesAddUpToTheDocument() throws Exception {
        Path ledger = Files.createTempDirectory("snapline-plan-web").resolve("ledger.jsonl");
        RunPlan run = run("daily", 12_000); // about 2.2 MB of JSON
        try (EmbeddedServer server = start(ledger);
             HttpClient client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            server.getApplicationContext().getBean(PrunePlans.class).put(run);

            String body = client.toBlocking().retrieve(HttpRequest.GET("/prune/plan"), String.class);
            Map<String, Map<String, Object>> all = PlanJson.mapper().readValue(body, new TypeReference<>() { });
            Map<String, Object> entry = all.get("snapshots:daily");
            assertThat(entry).containsEntry("inline", false).containsEntry("deleteCount", 12_000)
                    .containsEntry("runId", run.runId());
            assertThat(((Number) entry.get("chars")).longValue()).isGreaterThan(PrunePlanController.INLINE_CHARS);
            @SuppressWarnings("unchecked")
            List<String> urls = (List<String>) entry.get("pageUrls");
            assertThat(urls).hasSize((Integer) entry.get("pages")).hasSizeGreaterThan(16);

            StringBuilder document = new StringBuilder();
            for (String url : urls) {
                HttpResponse<String> page = client.toBlocking().exchange(HttpRequest.GET(url), String.class);
                assertThat(page.header("Snapline-Plan-Pages")).isEqualTo(String.valueOf(urls.size()));
                assertThat(page.body().length()).isLessThanOrEqualTo(PrunePlans.PAGE_CHARS);
                document.append(page.body());
            }
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(document.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                    .isEqualTo(entry.get("sha256"));
            assertThat(PlanJson.mapper().readValue(document.toString(), PolicyPlan.class))
                    .isEqualTo(run.policies().get(0));
            assertThatThrownBy(() -> client.toBlocking().retrieve(HttpRequest.GET("/prune/plan/snapshots/daily/"
                    + run.runId() + "/pages/" + urls.size()), String.class))
                    .isInstanceOfSatisfying(HttpClientResponseException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(HttpStatus.NOT_FOUND.getCode()));
        }
    }
}
