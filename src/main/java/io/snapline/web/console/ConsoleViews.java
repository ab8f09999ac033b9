package io.snapline.web.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.snapline.config.ExportPolicies;
import io.snapline.config.ExportPolicy;
import io.snapline.config.ExportRetentionProperties;
import io.snapline.config.RetentionPolicy;
import io.snapline.consumer.ConsumerService;
import io.snapline.consumer.DeadLetterQueue;
import io.snapline.consumer.QueueOperations;
import io.snapline.handler.CloneInventory;
import io.snapline.handler.ScheduleInventory;
import io.snapline.handler.export.ExportTaskIds;
import io.snapline.handler.prune.ExportDecision;
import io.snapline.handler.prune.ExportSourcePlan;
import io.snapline.handler.prune.PolicyPlan;
import io.snapline.handler.prune.PrunePlans;
import io.snapline.handler.prune.SnapshotDecision;
import io.snapline.handler.prune.SnapshotSourcePlan;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.LedgerHealth;
import io.snapline.ledger.Pipeline;
import io.snapline.ledger.PipelinePage;
import io.snapline.ledger.PipelineQuery;
import io.snapline.ledger.StepState;
import io.snapline.message.Arn;
import io.snapline.message.SafeText;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

import static io.snapline.web.console.Html.esc;
import static io.snapline.web.console.Html.escCut;
import static io.snapline.web.console.Html.timeTag;
import static io.snapline.web.console.Html.url;

/**
 * The operator console's read-only views, server-rendered: pipelines (at {@code /}), dead letters,
 * prune plans, clones, schedules, health. They read the ledger and the queues the JSON endpoints
 * read. Every value is escaped ({@link Html}); pages carry no script.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConsoleViews {

    /** Dead letters listed at most (read without consuming them). */
    static final int DEAD_LETTERS_SHOWN = 100;
    /** An S3 location a step's detail names (the export step names where its files go). */
    private static final java.util.regex.Pattern S3_URI = java.util.regex.Pattern.compile(
            "s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/([^\\s]*)");
    /** Characters of a dead letter's body shown (the rest is counted). */
    static final int BODY_CHARS = 8192;

    private final Ledger ledger;
    private final QueueOperations queue;
    private final DeadLetterQueue deadLetters;
    private final PrunePlans plans;
    private final Optional<ConsumerService> consumer;
    private final ExportPolicies exportPolicies;
    private final List<RetentionPolicy> retention;
    private final List<ExportRetentionProperties> exportRetention;
    private final Optional<CloneInventory> clones;
    private final Optional<ScheduleInventory> schedules;
    private final ConsoleSecurity security;

    public ConsoleViews(Ledger ledger, QueueOperations queue, DeadLetterQueue deadLetters, PrunePlans plans,
                        Optional<ConsumerService> consumer, ExportPolicies exportPolicies, List<RetentionPolicy> retention,
                        List<ExportRetentionProperties> exportRetention, Optional<CloneInventory> clones,
                        Optional<ScheduleInventory> schedules, ConsoleSecurity security) {
        this.ledger = ledger;
        this.queue = queue;
        this.deadLetters = deadLetters;
        this.plans = plans;
        this.consumer = consumer;
        this.exportPolicies = exportPolicies;
        this.retention = retention;
        this.exportRetention = exportRetention;
        this.clones = clones;
        this.schedules = schedules;
        this.security = security;
    }

    // ---- the shell ----

    private MutableHttpResponse<String> page(HttpRequest<?> request, HttpStatus status, String path, String title,
                                             String notice, String content) {
        Optional<ConsoleSecurity.Session> session = security.session(request);
        String flash = session.map(s -> {
            String f = s.flash;
            s.flash = null;
            return f;
        }).map(f -> Page.notice("ok", esc(f))).orElse("");
        return Page.html(HttpResponse.status(status), Page.render(path, title, session.map(s -> s.operator),
                security.actionsEnabled(), flash + notice, content));
    }

    /** The hidden CSRF field of the signed-in session's forms (empty when not signed in). */
    private String csrf(HttpRequest<?> request) {
        return security.session(request).map(s -> "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(s.csrf) + "\">")
                .orElse("");
    }

    private String disabled() {
        return security.actionsEnabled() ? "" : " disabled";
    }

    // ---- pipelines ----

    @Get(uris = {"/", "/console", "/console/pipelines"})
    public HttpResponse<String> pipelines(HttpRequest<?> request, @Nullable @QueryValue String q,
                                          @Nullable @QueryValue String filter, @Nullable @QueryValue String cursor) {
        PipelineQuery.Filter f = PipelineQuery.Filter.parse(filter);
        PipelineQuery query = new PipelineQuery(PipelineQuery.DEFAULT_LIMIT, Optional.ofNullable(cursor),
                Optional.ofNullable(q), f);
        StringBuilder b = new StringBuilder();
        b.append("<form class=\"bar\" method=\"get\" action=\"/\" role=\"search\"><div><label for=\"q\">Search by source "
                        + "or snapshot</label><input type=\"search\" id=\"q\" name=\"q\" value=\"")
                .append(esc(query.search().orElse(""))).append("\" placeholder=\"orders-db, rds:orders-db-2026…\"></div>")
                .append("<div><label for=\"filter\">Show</label><select id=\"filter\" name=\"filter\">");
        for (String[] o : new String[][] {{"all", "All pipelines"}, {"failed", "Failed"}, {"waiting", "Waiting or running"}}) {
            b.append("<option value=\"").append(o[0]).append('"')
                    .append(o[0].equalsIgnoreCase(f.name()) ? " selected" : "").append('>').append(o[1]).append("</option>");
        }
        b.append("</select></div><div><button type=\"submit\" class=\"primary\">Search</button></div></form>");
        PipelinePage result;
        try {
            result = ledger.pipelines(query);
        } catch (IllegalArgumentException e) {
            return page(request, HttpStatus.BAD_REQUEST, "/", "Pipelines", Page.notice("error", esc(e.getMessage())),
                    b + "<p><a href=\"/\">First page</a></p>");
        } catch (RuntimeException e) {
            return page(request, HttpStatus.SERVICE_UNAVAILABLE, "/", "Pipelines", Page.notice("error",
                    "The ledger cannot be read: " + esc(SafeText.of(e.getMessage(), 500))), b.toString());
        }
        b.append("<div class=\"panel\"><table><caption class=\"muted\" style=\"text-align:left\">")
                .append(result.pipelines().size()).append(" pipeline(s), most recently updated first")
                .append(query.cursor().isPresent() ? " (an older page)" : "").append("</caption><thead><tr>")
                .append("<th scope=\"col\">Snapshot</th><th scope=\"col\">Status</th><th scope=\"col\">Policies</th>")
                .append("<th scope=\"col\">Steps</th><th scope=\"col\">Updated</th><th scope=\"col\" class=\"wide\">First seen</th>")
                .append("</tr></thead><tbody>");
        if (result.pipelines().isEmpty()) {
            b.append("<tr><td colspan=\"6\" class=\"muted\">No pipeline matches.").append(query.search().isPresent()
                    || f != PipelineQuery.Filter.ALL ? " <a href=\"/\">Show all</a>" : "").append("</td></tr>");
        }
        for (Pipeline p : result.pipelines()) {
            b.append("<tr><td><a class=\"mono\" href=\"/console/pipeline?id=").append(esc(url(p.id()))).append("\">")
                    .append(esc(p.snapshotIdentifier())).append("</a><div class=\"muted mono\">").append(esc(p.id()))
                    .append("</div></td><td>").append(state(status(p))).append("</td><td>")
                    .append(esc(String.join(", ", policies(p)))).append("</td><td><div class=\"steps\">");
            for (Pipeline.Step s : p.steps()) {
                b.append("<span class=\"chip\" title=\"").append(esc(s.detail())).append("\"><span class=\"state ")
                        .append(s.state().name()).append("\">").append(esc(s.name())).append("</span></span>");
            }
            b.append("</div></td><td>").append(timeTag(p.updatedAt())).append("</td><td class=\"wide\">")
                    .append(timeTag(p.firstSeen())).append("</td></tr>");
        }
        b.append("</tbody></table><nav class=\"pager\" aria-label=\"Pages\">");
        if (query.cursor().isPresent()) {
            b.append("<a class=\"button\" href=\"").append(esc(link(query, null))).append("\">← Newest</a>");
        }
        result.next().ifPresent(next -> b.append("<a class=\"button\" rel=\"next\" href=\"").append(esc(link(query, next)))
                .append("\">Older →</a>"));
        b.append("</nav></div>");
        return page(request, HttpStatus.OK, "/", "Pipelines", "", b.toString());
    }

    private static String link(PipelineQuery query, @Nullable String cursor) {
        StringBuilder href = new StringBuilder("/?filter=").append(query.filter().name().toLowerCase());
        query.search().ifPresent(s -> href.append("&q=").append(url(s)));
        if (cursor != null) {
            href.append("&cursor=").append(url(cursor));
        }
        return href.toString();
    }

    static StepState status(Pipeline p) {
        for (StepState s : List.of(StepState.FAILED, StepState.WAITING, StepState.STARTED, StepState.DONE)) {
            if (p.steps().stream().anyMatch(step -> step.state() == s)) {
                return s;
            }
        }
        return StepState.SKIPPED;
    }

    private static List<String> policies(Pipeline p) {
        TreeSet<String> names = new TreeSet<>();
        for (Pipeline.Step s : p.steps()) {
            int colon = s.name().indexOf(':');
            if (colon > 0 && colon < s.name().length() - 1) {
                names.add(s.name().substring(colon + 1));
            }
        }
        return new ArrayList<>(names);
    }

    private static String state(StepState s) {
        String label = switch (s) {
            case DONE -> "Done";
            case FAILED -> "Failed";
            case WAITING -> "Waiting";
            case STARTED -> "Running";
            case SKIPPED -> "Skipped";
        };
        return "<span class=\"state " + s.name() + "\">" + label + "</span>";
    }

    @Get("/console/pipeline")
    public HttpResponse<String> pipeline(HttpRequest<?> request, @Nullable @QueryValue String id) {
        if (id == null || id.isBlank() || id.length() > PipelineQuery.MAX_SEARCH_CHARS) {
            return page(request, HttpStatus.BAD_REQUEST, "/", "Pipeline", Page.notice("error",
                    "Give a snapshot identifier or ARN of at most " + PipelineQuery.MAX_SEARCH_CHARS + " characters."),
                    "<p><a href=\"/\">All pipelines</a></p>");
        }
        Optional<Pipeline> found = ledger.pipeline(id);
        if (found.isEmpty()) {
            return page(request, HttpStatus.NOT_FOUND, "/", "Pipeline", Page.notice("warn", "No pipeline for "
                    + "<span class=\"mono\">" + esc(id) + "</span>."), "<p><a href=\"/?q=" + esc(url(id))
                    + "\">Search for it</a> · <a href=\"/\">All pipelines</a></p>");
        }
        Pipeline p = found.get();
        Optional<Arn> arn = Arn.parse(p.id());
        StringBuilder b = new StringBuilder("<div class=\"panel\"><dl class=\"kv\"><dt>Snapshot</dt><dd class=\"mono\">")
                .append(esc(p.snapshotIdentifier())).append("</dd><dt>ARN / id</dt><dd class=\"mono\">").append(esc(p.id()))
                .append("</dd><dt>Status</dt><dd>").append(state(status(p))).append("</dd><dt>First seen</dt><dd>")
                .append(timeTag(p.firstSeen())).append("</dd><dt>Updated</dt><dd>").append(timeTag(p.updatedAt()))
                .append("</dd></dl></div><h2>Steps</h2><div class=\"panel\"><table><thead><tr><th scope=\"col\">Step</th>")
                .append("<th scope=\"col\">State</th><th scope=\"col\">Time</th><th scope=\"col\">Attempts</th>")
                .append("<th scope=\"col\">Reason</th><th scope=\"col\">Links</th></tr></thead><tbody>");
        for (Pipeline.Step s : p.steps()) {
            b.append("<tr><td class=\"mono nowrap\">").append(esc(s.name())).append("</td><td>").append(state(s.state()))
                    .append("</td><td>").append(timeTag(s.at())).append("</td><td>").append(s.attempts())
                    .append("</td><td>").append(esc(s.detail())).append("</td><td>").append(links(s, p, arn))
                    .append("</td></tr>");
        }
        b.append("</tbody></table></div><p><a href=\"/\">← All pipelines</a></p>");
        return page(request, HttpStatus.OK, "/", "Pipeline " + SafeText.of(p.snapshotIdentifier(), 120), "", b.toString());
    }

    /** For an export step: the export task and the S3 location its files go to (from the policy's bucket and prefix). */
    private String links(Pipeline.Step s, Pipeline p, Optional<Arn> arn) {
        if (!s.name().startsWith("export:") || arn.isEmpty()) {
            return "";
        }
        String policyName = s.name().substring("export:".length());
        String region = arn.get().region();
        String taskId;
        try {
            taskId = ExportTaskIds.forArn(policyName, p.id());
        } catch (RuntimeException e) {
            return "";
        }
        StringBuilder b = new StringBuilder("<a href=\"").append(esc("https://" + url(region) + ".console.aws.amazon.com/rds/home?region="
                + url(region) + "#exports-in-s3:")).append("\">Export task <span class=\"mono\">").append(esc(taskId))
                .append("</span></a>");
        java.util.regex.Matcher where = S3_URI.matcher(s.detail() == null ? "" : s.detail());
        if (where.find()) {
            String bucket = where.group(1);
            String key = where.group(2);
            return b.append("<br><a href=\"").append(esc("https://s3.console.aws.amazon.com/s3/buckets/" + url(bucket)
                    + "?region=" + url(region) + "&prefix=" + url(key))).append("\">S3 <span class=\"mono\">")
                    .append(esc(where.group())).append("</span></a>").toString();
        }
        Optional<ExportPolicy> policy = exportPolicies.byName(policyName);
        policy.filter(x -> x.bucket() != null).ifPresent(x -> {
            String configured = x.prefix() == null ? "" : x.prefix();
            boolean templated = configured.contains("{");
            // a prefix with placeholders ({source}, {date}) is resolved per export: link to the part before them
            String fixed = templated ? configured.substring(0, configured.indexOf('{')) : configured;
            String prefix = fixed.isBlank() ? "" : templated ? fixed : fixed.replaceAll("/+$", "") + "/";
            String shown = templated ? prefix : prefix + taskId + "/";
            b.append("<br><a href=\"").append(esc("https://s3.console.aws.amazon.com/s3/buckets/" + url(x.bucket())
                    + "?region=" + url(region) + "&prefix=" + url(shown))).append("\">S3 <span class=\"mono\">s3://")
                    .append(esc(x.bucket() + "/" + shown)).append("</span></a>");
        });
        return b.toString();
    }

    // ---- dead letters ----

    @Get("/console/dead-letters")
    public HttpResponse<String> deadLetters(HttpRequest<?> request) {
        String path = "/console/dead-letters";
        if (deadLetters.url().isEmpty()) {
            return page(request, HttpStatus.OK, path, "Dead letters", Page.notice("warn", "The consumed queue has no "
                    + "dead-letter queue (no redrive policy, and <span class=\"mono\">snapline.queue.dlq-url</span> is unset)."), "");
        }
        List<DeadLetterQueue.DeadLetter> letters;
        Map<String, String> depth;
        try {
            depth = deadLetters.depth();
            letters = deadLetters.peek(DEAD_LETTERS_SHOWN);
        } catch (RuntimeException e) {
            return page(request, HttpStatus.SERVICE_UNAVAILABLE, path, "Dead letters", Page.notice("error",
                    "The dead-letter queue cannot be read: " + esc(SafeText.of(e.getMessage(), 500))), "");
        }
        String csrf = csrf(request);
        StringBuilder b = new StringBuilder("<div class=\"panel\"><p class=\"mono\">").append(esc(deadLetters.url().get()))
                .append("</p><p>About <strong>").append(esc(depth.get("visible"))).append("</strong> message(s) visible, ")
                .append(esc(depth.get("notVisible"))).append(" in flight. Read without consuming them (")
                .append("<span class=\"mono\">VisibilityTimeout=0</span>); at most ").append(DEAD_LETTERS_SHOWN)
                .append(" are listed.</p><form method=\"post\" action=\"/console/dead-letters/redrive-all\">").append(csrf)
                .append("<button type=\"submit\"").append(disabled()).append(">Redrive all…</button> <span class=\"muted\">")
                .append("moves every dead letter back to the queue (SQS StartMessageMoveTask)</span></form></div>")
                .append("<div class=\"panel\"><table><thead><tr><th scope=\"col\">Sent</th><th scope=\"col\">Kind</th>")
                .append("<th scope=\"col\">Reason</th><th scope=\"col\" class=\"wide\">Original message id</th>")
                .append("<th scope=\"col\" class=\"wide\">AWS request id</th><th scope=\"col\">Body</th>")
                .append("<th scope=\"col\">Actions</th></tr></thead><tbody>");
        if (letters.isEmpty()) {
            b.append("<tr><td colspan=\"7\" class=\"muted\">The dead-letter queue is empty.</td></tr>");
        }
        for (DeadLetterQueue.DeadLetter d : letters) {
            String id = esc(d.messageId());
            b.append("<tr><td>").append(d.sentAt().map(Html::timeTag).orElse("")).append("</td><td class=\"nowrap\">")
                    .append(esc(d.kind().orElse("—"))).append("</td><td>")
                    .append(d.reason().map(Html::esc).orElse("<span class=\"muted\">(no Snapline reason: dead-lettered by "
                            + "SQS after too many receives)</span>"))
                    .append("</td><td class=\"mono wide\">").append(esc(d.originalMessageId().orElse("—")))
                    .append("</td><td class=\"mono wide\">").append(esc(d.awsRequestId().orElse("—")))
                    .append("</td><td class=\"body\"><details><summary><span class=\"mono\">").append(escCut(d.body(), 60))
                    .append("</span> <span class=\"muted\">(").append(d.body().length()).append(" characters)</span></summary><pre>")
                    .append(escCut(d.body(), BODY_CHARS)).append("</pre><div class=\"muted mono\">message ").append(id)
                    .append("</div></details></td><td class=\"nowrap\">")
                    .append(action("/console/dead-letters/redrive", "messageId", d.messageId(), "Redrive…", "", csrf))
                    .append(' ')
                    .append(action("/console/dead-letters/discard", "messageId", d.messageId(), "Discard…", "danger", csrf))
                    .append("</td></tr>");
        }
        b.append("</tbody></table></div>");
        return page(request, HttpStatus.OK, path, "Dead letters", "", b.toString());
    }

    private String action(String to, String field, String value, String label, String style, String csrf) {
        return "<form class=\"inline\" method=\"post\" action=\"" + to + "\">" + csrf + "<input type=\"hidden\" name=\""
                + field + "\" value=\"" + esc(value) + "\"><button type=\"submit\" class=\"" + style + "\""
                + disabled() + " aria-label=\"" + esc(label.replace("…", "") + " " + value) + "\">" + label
                + "</button></form>";
    }

    // ---- plans ----

    @Get("/console/plans")
    public HttpResponse<String> plans(HttpRequest<?> request) {
        String path = "/console/plans";
        TreeSet<String> names = new TreeSet<>();
        retention.forEach(r -> names.add(r.name()));
        exportRetention.stream().filter(ExportRetentionProperties::hasRetention).forEach(r -> names.add(r.name()));
        StringBuilder b = new StringBuilder("<div class=\"panel\"><form class=\"bar\" method=\"post\" "
                + "action=\"/console/plans/dry-run\">").append(csrf(request))
                .append("<div><label for=\"policy\">Policy</label><select id=\"policy\" name=\"policy\"")
                .append(names.isEmpty() ? " disabled" : "").append('>');
        names.forEach(n -> b.append("<option>").append(esc(n)).append("</option>"));
        b.append("</select></div><div><button type=\"submit\" class=\"primary\"")
                .append(names.isEmpty() ? " disabled" : disabled()).append(">Dry-run now…</button></div></form><p class=\"muted\">")
                .append(names.isEmpty() ? "No retention policy is configured." : "Sends a prune command with "
                        + "<span class=\"mono\">dryRun: true</span> through the queue: a fresh plan, nothing deleted.")
                .append("</p></div>");
        Map<String, PrunePlans.Stored> latest;
        try {
            latest = plans.latestOfAll();
        } catch (RuntimeException e) {
            return page(request, HttpStatus.SERVICE_UNAVAILABLE, path, "Prune plans", Page.notice("error",
                    "The plans cannot be read: " + esc(SafeText.of(e.getMessage(), 500))), b.toString());
        }
        if (latest.isEmpty()) {
            b.append("<div class=\"panel muted\">No plan is stored yet.</div>");
        }
        for (Map.Entry<String, PrunePlans.Stored> e : latest.entrySet()) {
            PrunePlans.Stored s = e.getValue();
            b.append("<h2>").append(esc(s.kind())).append(" · ").append(esc(s.policy())).append("</h2><div class=\"panel\">")
                    .append("<p>Run <span class=\"mono\">").append(esc(s.runId())).append("</span> at ").append(timeTag(s.at()))
                    .append(", trigger ").append(esc(s.trigger())).append(s.dryRun() ? ", <strong>dry run</strong>" : "")
                    .append(": <strong>").append(s.deleteCount()).append("</strong> to delete, ").append(s.keptCount())
                    .append(" kept, ").append(s.protectedCount()).append(" protected. <a href=\"")
                    .append(esc("/prune/plan/" + url(s.kind()) + "/" + url(s.policy()))).append("\">JSON</a></p>");
            PolicyPlan plan;
            try {
                plan = plans.plan(s);
            } catch (RuntimeException ex) {
                b.append(Page.notice("error", esc(SafeText.of(ex.getMessage(), 500)))).append("</div>");
                continue;
            }
            plan.capViolations().forEach(c -> b.append(Page.notice("error", "Cap: " + esc(c))));
            plan.notes().forEach(n -> b.append(Page.notice("info", esc(n))));
            b.append("<table><thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Candidate</th>")
                    .append("<th scope=\"col\">Created</th><th scope=\"col\">Verdict</th><th scope=\"col\">Rule</th></tr></thead><tbody>");
            int rows = 0;
            for (SnapshotSourcePlan source : plan.snapshotSources()) {
                List<SnapshotDecision> all = new ArrayList<>(source.deletions());
                all.addAll(source.kept());
                all.addAll(source.protectedListed());
                for (SnapshotDecision d : all) {
                    rows++;
                    b.append("<tr><td class=\"mono\">").append(esc(source.sourceId())).append("</td><td class=\"mono\">")
                            .append(esc(d.identifier())).append("</td><td>").append(timeTag(d.createTime())).append("</td><td>")
                            .append(verdict(d.verdict().name())).append("</td><td>").append(esc(d.why())).append("</td></tr>");
                }
            }
            for (ExportSourcePlan source : plan.exportSources()) {
                for (ExportDecision d : source.decisions()) {
                    rows++;
                    b.append("<tr><td class=\"mono\">").append(esc(source.sourceId())).append("</td><td class=\"mono\">")
                            .append(esc("s3://" + d.export().bucket() + "/" + d.export().folder())).append("</td><td>")
                            .append(timeTag(d.export().time())).append("</td><td>").append(verdict(d.verdict().name()))
                            .append("</td><td>").append(esc(d.why())).append("</td></tr>");
                }
            }
            if (rows == 0) {
                b.append("<tr><td colspan=\"5\" class=\"muted\">No candidate.</td></tr>");
            }
            b.append("</tbody></table></div>");
        }
        return page(request, HttpStatus.OK, path, "Prune plans", "", b.toString());
    }

    private static String verdict(String v) {
        String css = switch (v) {
            case "DELETE" -> "FAILED";
            case "KEEP" -> "DONE";
            default -> "SKIPPED";
        };
        return "<span class=\"state " + css + "\">" + esc(v) + "</span>";
    }

    // ---- clones and schedules (when those capabilities are in the build) ----

    @Get("/console/clones")
    public HttpResponse<String> clones(HttpRequest<?> request) {
        String path = "/console/clones";
        if (clones.isEmpty()) {
            return page(request, HttpStatus.OK, path, "Clones", Page.notice("info", "Clones are not available in this build."), "");
        }
        List<CloneInventory.LiveClone> live;
        try {
            live = clones.get().clones();
        } catch (RuntimeException e) {
            return page(request, HttpStatus.SERVICE_UNAVAILABLE, path, "Clones", Page.notice("error",
                    "The clones cannot be listed: " + esc(SafeText.of(e.getMessage(), 500))), "");
        }
        String csrf = csrf(request);
        StringBuilder b = new StringBuilder("<div class=\"panel\"><table><thead><tr><th scope=\"col\">Clone</th>")
                .append("<th scope=\"col\">Source</th><th scope=\"col\">Requester</th><th scope=\"col\">Class</th>")
                .append("<th scope=\"col\">State</th><th scope=\"col\">Expires</th><th scope=\"col\">Actions</th></tr></thead><tbody>");
        if (live.isEmpty()) {
            b.append("<tr><td colspan=\"7\" class=\"muted\">No live clone.</td></tr>");
        }
        for (CloneInventory.LiveClone c : live) {
            b.append("<tr><td class=\"mono\">").append(esc(c.id())).append("</td><td class=\"mono\">").append(esc(c.source()))
                    .append("</td><td>").append(esc(c.requester())).append("</td><td class=\"mono\">").append(esc(c.instanceClass()))
                    .append("</td><td>").append(esc(c.state())).append("</td><td>").append(timeTag(c.expiresAt()))
                    .append("</td><td>").append(action("/console/clones/extend", "cloneId", c.id(), "Extend 1 day…", "", csrf))
                    .append(' ').append(action("/console/clones/delete", "cloneId", c.id(), "Delete…", "danger", csrf))
                    .append("</td></tr>");
        }
        b.append("</tbody></table></div>");
        return page(request, HttpStatus.OK, path, "Clones", "", b.toString());
    }

    @Get("/console/schedules")
    public HttpResponse<String> schedules(HttpRequest<?> request) {
        String path = "/console/schedules";
        if (schedules.isEmpty()) {
            return page(request, HttpStatus.OK, path, "Schedules", Page.notice("info",
                    "Snapshot schedules are not available in this build."), "");
        }
        List<ScheduleInventory.Schedule> all;
        try {
            all = schedules.get().schedules();
        } catch (RuntimeException e) {
            return page(request, HttpStatus.SERVICE_UNAVAILABLE, path, "Schedules", Page.notice("error",
                    "The schedules cannot be listed: " + esc(SafeText.of(e.getMessage(), 500))), "");
        }
        StringBuilder b = new StringBuilder("<div class=\"panel\"><table><thead><tr><th scope=\"col\">Schedule</th>")
                .append("<th scope=\"col\">Target</th><th scope=\"col\">Rule</th><th scope=\"col\">Next slot</th>")
                .append("<th scope=\"col\">Last run</th><th scope=\"col\">Last result</th></tr></thead><tbody>");
        if (all.isEmpty()) {
            b.append("<tr><td colspan=\"6\" class=\"muted\">No schedule is configured.</td></tr>");
        }
        for (ScheduleInventory.Schedule s : all) {
            b.append("<tr><td class=\"mono\">").append(esc(s.name())).append("</td><td class=\"mono\">").append(esc(s.target()))
                    .append("</td><td class=\"mono\">").append(esc(s.rule())).append("</td><td>")
                    .append(s.nextSlot().map(Html::timeTag).orElse("—")).append("</td><td>")
                    .append(s.lastRunAt().map(Html::timeTag).orElse("—")).append("</td><td>")
                    .append(esc(s.lastResult().orElse("—"))).append("</td></tr>");
        }
        b.append("</tbody></table></div>");
        return page(request, HttpStatus.OK, path, "Schedules", "", b.toString());
    }

    // ---- health ----

    @Get("/console/health")
    public HttpResponse<String> health(HttpRequest<?> request) {
        StringBuilder b = new StringBuilder("<div class=\"panel\"><h2>Queue</h2><dl class=\"kv\"><dt>URL</dt><dd class=\"mono\">")
                .append(esc(queue.queueUrl())).append("</dd>");
        try {
            Map<String, String> depth = queue.depth();
            b.append("<dt>Depth (visible)</dt><dd>").append(esc(depth.get("visible"))).append("</dd><dt>In flight</dt><dd>")
                    .append(esc(depth.get("notVisible"))).append("</dd>");
        } catch (RuntimeException e) {
            b.append("<dt>State</dt><dd><span class=\"state DOWN\">Unreadable</span> ").append(esc(SafeText.of(e.getMessage(), 500)))
                    .append("</dd>");
        }
        deadLetters.url().ifPresent(u -> {
            b.append("<dt>Dead letters</dt><dd>");
            try {
                b.append("<a href=\"/console/dead-letters\">").append(esc(deadLetters.depth().get("visible"))).append("</a>");
            } catch (RuntimeException e) {
                b.append("unreadable: ").append(esc(SafeText.of(e.getMessage(), 300)));
            }
            b.append("</dd>");
        });
        b.append("</dl><h2>Consumer</h2><dl class=\"kv\">");
        if (consumer.isEmpty()) {
            b.append("<dt>State</dt><dd><span class=\"state DOWN\">Not running</span> (no consumer in this process)</dd>");
        } else {
            boolean running = consumer.get().consumer().running();
            b.append("<dt>State</dt><dd>").append(running ? "<span class=\"state UP\">Running</span>"
                    : "<span class=\"state DOWN\">Stopped</span>").append("</dd><dt>Messages in hand</dt><dd>")
                    .append(consumer.get().consumer().inFlight()).append("</dd>");
            consumer.get().drainResult().ifPresent(d -> b.append("<dt>Last drain</dt><dd>").append(esc(d.toString())).append("</dd>"));
        }
        LedgerHealth h = ledger.health();
        b.append("</dl><h2>Ledger</h2><dl class=\"kv\"><dt>Store</dt><dd class=\"mono\">").append(esc(h.store()))
                .append("</dd><dt>State</dt><dd>").append(h.up() ? "<span class=\"state UP\">Up</span>"
                        : "<span class=\"state DOWN\">Down</span>").append("</dd>");
        h.problem().ifPresent(p -> b.append("<dt>Problem</dt><dd>").append(esc(p)).append("</dd>"));
        h.since().ifPresent(s -> b.append("<dt>Since</dt><dd>").append(timeTag(s)).append("</dd>"));
        h.notices().forEach(n -> b.append("<dt>Notice</dt><dd>").append(esc(n)).append("</dd>"));
        b.append("</dl><h2>Service</h2><dl class=\"kv\"><dt>Version</dt><dd class=\"mono\">").append(esc(version()))
                .append("</dd><dt>Console actions</dt><dd>").append(security.actionsEnabled() ? "enabled (token configured)"
                        : "disabled (no snapline.console.token)").append("</dd><dt>JSON</dt><dd><a href=\"/health\">/health</a> · ")
                .append("<a href=\"/pipelines\">/pipelines</a> · <a href=\"/prune/plan\">/prune/plan</a> · ")
                .append("<a href=\"/prometheus\">/prometheus</a></dd></dl></div>");
        return page(request, HttpStatus.OK, "/console/health", "Health", "", b.toString());
    }

    /** The build's version, from the resource the build writes ({@code snapline-version.properties}). */
    static String version() {
        try (InputStream in = ConsoleViews.class.getResourceAsStream("/snapline-version.properties")) {
            if (in == null) {
                return "unknown (no snapline-version.properties in this build)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
