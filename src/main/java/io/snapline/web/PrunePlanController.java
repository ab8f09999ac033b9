package io.snapline.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.snapline.handler.prune.PlanJson;
import io.snapline.handler.prune.PrunePlans;
import io.snapline.message.SafeText;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored prune plans ({@link PrunePlans}, in the ledger, so they survive a restart).
 *
 * <ul>
 *   <li>{@code GET /prune/plan}: the latest plan of every configured policy (dry run or not) as JSON,
 *       keyed {@code snapshots:<policy>} / {@code exports:<policy>}; {@code ?policy=<name>} narrows it
 *       to one policy name (404 when it has no plan). Each value is the plan document as stored. A plan
 *       longer than {@link #INLINE_CHARS} characters is not inlined: its value is then its manifest
 *       with {@code "inline": false} and the URLs of its pages.</li>
 *   <li>{@code GET /prune/plan/{kind}/{policy}}: the manifest of the policy's latest plan (run id,
 *       time, counts, pages, length, SHA-256) and {@code pageUrls}; {@code .../{runId}}: the same for
 *       an earlier run, while the ledger keeps it (the plan log line names the run id).</li>
 *   <li>{@code GET /prune/plan/{kind}/{policy}/{runId}/pages/{n}}: page {@code n} (from 0) of that
 *       plan, as stored: plain text, at most {@link PrunePlans#PAGE_CHARS} ASCII characters. The pages
 *       concatenated in order are the plan's JSON document; its length and SHA-256 are the
 *       manifest's.</li>
 * </ul>
 * Send a {@code prune} command with {@code "dryRun":true} to produce a fresh plan without deleting.
 */
@Controller("/prune")
public class PrunePlanController {

    /** Plans up to this long (16 pages) are served whole by {@code GET /prune/plan}. */
    public static final long INLINE_CHARS = 16L * PrunePlans.PAGE_CHARS;

    private final PrunePlans plans;

    public PrunePlanController(PrunePlans plans) {
        this.plans = plans;
    }

    @Get(value = "/plan", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> plan(@Nullable @QueryValue String policy) {
        try {
            Map<String, PrunePlans.Stored> latest = policy == null ? plans.latestOfAll() : plans.latestOf(policy);
            if (policy != null && latest.isEmpty()) {
                return json(HttpStatus.NOT_FOUND, Map.of("message", "no plan for policy '" + SafeText.of(policy, 100)
                        + "' yet; send {\"command\":\"prune\",\"policy\":\"<policy>\",\"dryRun\":true}"));
            }
            StringBuilder body = new StringBuilder("{");
            for (Map.Entry<String, PrunePlans.Stored> e : latest.entrySet()) {
                if (body.length() > 1) {
                    body.append(',');
                }
                body.append(PlanJson.write(e.getKey())).append(':');
                PrunePlans.Stored s = e.getValue();
                body.append(s.chars() <= INLINE_CHARS ? plans.document(s) : PlanJson.write(manifest(s, false)));
            }
            return HttpResponse.ok(body.append('}').toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
        } catch (PrunePlans.UnreadablePlanException e) {
            return json(HttpStatus.INTERNAL_SERVER_ERROR, Map.of("message", e.getMessage()));
        }
    }

    @Get(value = "/plan/{kind}/{policy}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> latest(@PathVariable String kind, @PathVariable String policy) {
        return manifestOrNotFound(plans.latest(kind, policy), kind, policy, null);
    }

    @Get(value = "/plan/{kind}/{policy}/{runId}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> run(@PathVariable String kind, @PathVariable String policy, @PathVariable String runId) {
        return manifestOrNotFound(plans.run(kind, policy, runId), kind, policy, runId);
    }

    @Get(value = "/plan/{kind}/{policy}/{runId}/pages/{page}", produces = MediaType.TEXT_PLAIN)
    public HttpResponse<String> page(@PathVariable String kind, @PathVariable String policy,
                                     @PathVariable String runId, @PathVariable int page) {
        Optional<PrunePlans.Stored> stored = plans.run(kind, policy, runId);
        Optional<String> text = stored.flatMap(s -> plans.page(s, page));
        if (text.isEmpty()) {
            return HttpResponse.<String>status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN_TYPE)
                    .body("no page " + page + " of the plan " + SafeText.of(kind + "/" + policy + "/" + runId, 300)
                            + stored.map(s -> " (it has " + s.pages() + " page(s), 0 to " + (s.pages() - 1) + ")")
                            .orElse(" (no such plan is stored)"));
        }
        return HttpResponse.ok(text.get()).contentType(MediaType.TEXT_PLAIN_TYPE)
                .header("Snapline-Plan-Pages", Integer.toString(stored.get().pages()));
    }

    private HttpResponse<String> manifestOrNotFound(Optional<PrunePlans.Stored> stored, String kind, String policy,
                                                    @Nullable String runId) {
        if (stored.isEmpty()) {
            return json(HttpStatus.NOT_FOUND, Map.of("message", "no plan stored for "
                    + SafeText.of(kind + "/" + policy + (runId == null ? "" : "/" + runId), 300)
                    + " (kinds: snapshots, exports; plans are kept for the ledger's completed-record TTL)"));
        }
        return HttpResponse.ok(PlanJson.write(manifest(stored.get(), true))).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private static Map<String, Object> manifest(PrunePlans.Stored s, boolean asked) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("policy", s.policy());
        out.put("kind", s.kind());
        out.put("runId", s.runId());
        out.put("at", s.at());
        out.put("trigger", s.trigger());
        out.put("dryRun", s.dryRun());
        out.put("deleteCount", s.deleteCount());
        out.put("keptCount", s.keptCount());
        out.put("protectedCount", s.protectedCount());
        if (!asked) {
            out.put("inline", false);
        }
        out.put("pages", s.pages());
        out.put("chars", s.chars());
        out.put("sha256", s.sha256());
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < s.pages(); i++) {
            urls.add("/prune/plan/" + s.kind() + "/" + s.policy() + "/" + s.runId() + "/pages/" + i);
        }
        out.put("pageUrls", urls);
        return out;
    }

    private static HttpResponse<String> json(HttpStatus status, Object body) {
        return HttpResponse.<String>status(status).contentType(MediaType.APPLICATION_JSON_TYPE).body(PlanJson.write(body));
    }
}
