package io.snapline.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.snapline.handler.prune.PlanJson;
import io.snapline.handler.prune.PolicyPlan;
import io.snapline.handler.prune.PrunePlans;

import java.util.Map;

/**
 * {@code GET /prune/plan}: the latest prune plan of every policy (dry run or not) as JSON, keyed
 * {@code snapshots:<policy>} / {@code exports:<policy>}; {@code ?policy=<name>} narrows it to one
 * policy (404 when it has no plan yet). Send a {@code prune} command with {@code "dryRun":true} to
 * produce a fresh plan without deleting.
 */
@Controller("/prune")
public class PrunePlanController {

    private final PrunePlans plans;

    public PrunePlanController(PrunePlans plans) {
        this.plans = plans;
    }

    @Get(value = "/plan", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> plan(@Nullable @QueryValue String policy) {
        Map<String, PolicyPlan> body = policy == null ? plans.all() : plans.of(policy);
        if (policy != null && body.isEmpty()) {
            return HttpResponse.<String>notFound().body(PlanJson.write(Map.of("message",
                    "no plan for policy '" + policy + "' yet; send {\"command\":\"prune\",\"policy\":\"" + policy
                            + "\",\"dryRun\":true}")));
        }
        return HttpResponse.ok(PlanJson.write(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
