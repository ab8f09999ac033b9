package io.snapline.web.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.snapline.consumer.DeadLetterQueue;
import io.snapline.consumer.QueueOperations;
import io.snapline.handler.CloneInventory;
import io.snapline.handler.prune.PlanJson;
import io.snapline.message.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static io.snapline.web.console.Html.esc;

/**
 * The console's actions: each is a form POST that needs the console token ({@link ConsoleSecurity}),
 * asks for confirmation first (a page repeating the request with {@code confirm=yes}), and is logged
 * with who asked and what came of it. A refused action is logged too, with its reason.
 *
 * <ul>
 *   <li>{@code POST /console/dead-letters/redrive} ({@code messageId}): back to the queue with its
 *       attributes (an explicit retry of its failed steps), then deleted from the dead-letter queue.</li>
 *   <li>{@code POST /console/dead-letters/redrive-all}: SQS {@code StartMessageMoveTask}.</li>
 *   <li>{@code POST /console/dead-letters/discard} ({@code messageId}): deleted.</li>
 *   <li>{@code POST /console/plans/dry-run} ({@code policy}): a {@code prune} command with
 *       {@code dryRun: true} sent through the queue.</li>
 *   <li>{@code POST /console/clones/extend} / {@code delete} ({@code cloneId}), when clones are in the build.</li>
 * </ul>
 * A browser (session) is sent back to the view with the result shown once; a script (bearer
 * header) gets the result as plain text.
 */
@Controller("/console")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConsoleActions {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleActions.class);
    /** A form body longer than this is no form of the console's. */
    static final int MAX_FORM_CHARS = 16 * 1024;

    private final ConsoleSecurity security;
    private final DeadLetterQueue deadLetters;
    private final QueueOperations queue;
    private final Optional<CloneInventory> clones;

    public ConsoleActions(ConsoleSecurity security, DeadLetterQueue deadLetters, QueueOperations queue,
                          Optional<CloneInventory> clones) {
        this.security = security;
        this.deadLetters = deadLetters;
        this.queue = queue;
        this.clones = clones;
    }

    // ---- sign-in ----

    @Get("/sign-in")
    public HttpResponse<String> signInForm(HttpRequest<?> request) {
        return signInPage(request, HttpStatus.OK, "");
    }

    private MutableHttpResponse<String> signInPage(HttpRequest<?> request, HttpStatus status, String notice) {
        String content = security.actionsEnabled()
                ? "<div class=\"panel\"><form method=\"post\" action=\"/console/sign-in\"><p><label for=\"operator\">Your name "
                + "(logged with every action)</label><input type=\"text\" id=\"operator\" name=\"operator\" required "
                + "maxlength=\"80\" autocomplete=\"username\"></p><p><label for=\"token\">Console token</label>"
                + "<input type=\"password\" id=\"token\" name=\"token\" required autocomplete=\"current-password\"></p>"
                + "<p><button type=\"submit\" class=\"primary\">Sign in</button></p></form></div>"
                : "";
        return Page.html(HttpResponse.status(status), Page.render("/console/sign-in", "Sign in",
                security.session(request).map(s -> s.operator), security.actionsEnabled(), notice, content));
    }

    @Post(value = "/sign-in", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<String> signIn(HttpRequest<?> request, @Nullable @Body String body) {
        Optional<Map<String, String>> form = form(body);
        String from = ConsoleSecurity.from(request);
        if (!security.actionsEnabled()) {
            LOG.warn("console sign-in refused from {}: no snapline.console.token is configured", from);
            return signInPage(request, HttpStatus.FORBIDDEN, "");
        }
        Optional<String> crossSite = security.crossSite(request);
        if (crossSite.isPresent()) {
            LOG.warn("console sign-in refused from {}: {}", from, crossSite.get());
            return signInPage(request, HttpStatus.FORBIDDEN, Page.notice("error", esc(crossSite.get())));
        }
        String operator = form.map(f -> f.get("operator")).map(String::strip).filter(o -> !o.isEmpty()).orElse(null);
        if (form.isEmpty() || operator == null || !security.tokenMatches(form.get().get("token"))) {
            LOG.warn("console sign-in refused from {} (operator '{}'): {}", from,
                    SafeText.of(operator == null ? "" : operator, 80), operator == null ? "no name given" : "wrong token");
            return signInPage(request, HttpStatus.UNAUTHORIZED, Page.notice("error",
                    operator == null ? "Give your name: it is logged with every action." : "That token is wrong."));
        }
        LOG.info("console sign-in of '{}' from {}", SafeText.of(operator, 80), from);
        return HttpResponse.<String>seeOther(URI.create("/")).cookie(security.open(operator, request));
    }

    @Get("/sign-out")
    public HttpResponse<String> signOutForm(HttpRequest<?> request) {
        String csrf = security.session(request).map(s -> "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(s.csrf) + "\">")
                .orElse("");
        return Page.ok(Page.render("/console/sign-out", "Sign out", security.session(request).map(s -> s.operator),
                security.actionsEnabled(), "", "<div class=\"panel\"><form method=\"post\" action=\"/console/sign-out\">" + csrf
                        + "<button type=\"submit\" class=\"primary\">Sign out</button> <a href=\"/\">Cancel</a></form></div>"));
    }

    @Post(value = "/sign-out", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<String> signOut(HttpRequest<?> request, @Nullable @Body String body) {
        if (security.crossSite(request).isPresent()) {
            return refused(request, "sign-out", 403, security.crossSite(request).get());
        }
        security.session(request).ifPresent(s -> LOG.info("console sign-out of '{}' (session {})", s.operator, s.shortId()));
        return HttpResponse.<String>seeOther(URI.create("/")).cookie(security.close(request));
    }

    // ---- actions ----

    @Post(value = "/dead-letters/redrive", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<String> redrive(HttpRequest<?> request, @Nullable @Body String body) {
        return act(request, body, "redrive", "/console/dead-letters", List.of("messageId"),
                f -> "Redrive dead letter " + f.get("messageId") + " to the queue (its failed steps run again)?",
                f -> () -> deadLetters.redrive(f.get("messageId"))
                        .map(id -> "dead letter " + f.get("messageId") + " redriven to the queue as message " + id)
                        .orElse("dead letter " + f.get("messageId") + " was not found (gone already?); nothing redriven"));
    }

    @Post(value = "/dead-letters/discard", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<String> discard(HttpRequest<?> request, @Nullable @Body String body) {
        return act(request, body, "discard", "/console/dead-letters", List.of("messageId"),
                f -> "Discard dead letter " + f.get("messageId") + " for good? It cannot be brought back.",
                f -> () -> deadLetters.discard(f.get("messageId"))
                        ? "dead letter " + f.get("messageId") + " discarded"
                        : "dead letter " + f.get("messageId") + " was not found (gone already?); nothing discarded");
    }

    @Post(value = "/dead-letters/redrive-all", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<String> redriveAll(HttpRequest<?> request, @Nullable @Body String body) {
        return act(request, body, "redrive-all", "/console/dead-letters", List.of(),
                f -> "Move every dead letter back to the queue (SQS StartMessageMoveTask)?",
                f -> () -> {
                    DeadLetterQueue.MoveTask task = deadLetters.redriveAll();
                    return "move task " + task.taskHandle() + " started: " + task.sourceArn() + " → " + task.destinationArn();
                });
    }

    @Post(value = "/plans/dry-run", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<String> dryRun(HttpRequest<?> request, @Nullable @Body String body) {
        return act(request, body, "dry-run", "/console/plans", List.of("policy"),
                f -> "Plan policy " + f.get("policy") + " now, as a dry run (nothing is deleted)?",
                f -> () -> {
                    String requestId = "console-" + UUID.randomUUID();
                    Map<String, Object> command = new LinkedHashMap<>();
                    command.put("command", "prune");
                    command.put("policy", f.get("policy"));
                    command.put("dryRun", true);
                    command.put("requestId", requestId);
                    String id = queue.enqueue(PlanJson.write(command));
                    return "dry-run prune of policy " + f.get("policy") + " sent as message " + id + " (request "
                            + requestId + "); its plan appears here when it has run";
                });
    }

    @Post(value = "/clones/extend", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<String> extendClone(HttpRequest<?> request, @Nullable @Body String body) {
        if (clones.isEmpty()) {
            return refused(request, "clone-extend", 404, "clones are not available in this build");
        }
        return act(request, body, "clone-extend", "/console/clones", List.of("cloneId"),
                f -> "Extend clone " + f.get("cloneId") + " by one day?",
                f -> () -> "clone " + f.get("cloneId") + " now expires at "
                        + clones.get().extend(f.get("cloneId"), Duration.ofDays(1)));
    }

    @Post(value = "/clones/delete", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<String> deleteClone(HttpRequest<?> request, @Nullable @Body String body) {
        if (clones.isEmpty()) {
            return refused(request, "clone-delete", 404, "clones are not available in this build");
        }
        return act(request, body, "clone-delete", "/console/clones", List.of("cloneId"),
                f -> "Delete clone " + f.get("cloneId") + " now?",
                f -> () -> {
                    clones.get().delete(f.get("cloneId"));
                    return "clone " + f.get("cloneId") + " deleted";
                });
    }

    /**
     * One action: authorized (token, same origin, CSRF), its fields present, confirmed, then done
     * and logged; a session goes back to {@code view} with the result, a script gets it as text.
     */
    private HttpResponse<String> act(HttpRequest<?> request, @Nullable String body, String action, String view,
                                     List<String> fields, java.util.function.Function<Map<String, String>, String> question,
                                     java.util.function.Function<Map<String, String>, Supplier<String>> work) {
        Optional<Map<String, String>> parsed = form(body);
        if (parsed.isEmpty()) {
            return refused(request, action, 400, "the form could not be read");
        }
        Map<String, String> form = parsed.get();
        ConsoleSecurity.Verdict verdict = security.authorize(request, form);
        if (!verdict.ok()) {
            return refused(request, action, verdict.status(), verdict.refusal());
        }
        ConsoleSecurity.Requester who = verdict.requester().get();
        for (String field : fields) {
            String v = form.get(field);
            if (v == null || v.isBlank() || v.length() > 1024) {
                return refused(request, action, 400, "the field " + field + " is missing or longer than 1024 characters");
            }
        }
        if (!"yes".equals(form.get("confirm"))) {
            return confirmation(request, action, view, fields, form, question.apply(form), verdict.session());
        }
        String result;
        try {
            result = work.apply(form).get();
        } catch (RuntimeException e) {
            String why = SafeText.of(e.getMessage(), 1000);
            LOG.error("console action {} by {} failed: {}", action, who, why);
            return done(request, verdict, view, HttpStatus.BAD_GATEWAY, "failed: " + why);
        }
        LOG.info("console action {} by {}: {}", action, who, SafeText.of(result, 1000));
        return done(request, verdict, view, HttpStatus.OK, result);
    }

    private HttpResponse<String> done(HttpRequest<?> request, ConsoleSecurity.Verdict verdict, String view,
                                      HttpStatus status, String result) {
        if (verdict.session().isPresent()) {
            verdict.session().get().flash = SafeText.of(result, 2000);
            return HttpResponse.seeOther(URI.create(view));
        }
        return HttpResponse.<String>status(status).body(SafeText.of(result, 2000) + "\n")
                .contentType(MediaType.TEXT_PLAIN_TYPE.toString() + ";charset=utf-8");
    }

    private HttpResponse<String> confirmation(HttpRequest<?> request, String action, String view, List<String> fields,
                                              Map<String, String> form, String question,
                                              Optional<ConsoleSecurity.Session> session) {
        StringBuilder b = new StringBuilder("<div class=\"panel\"><p>").append(esc(question)).append("</p><form method=\"post\" action=\"")
                .append(esc(request.getPath())).append("\">");
        session.ifPresent(s -> b.append("<input type=\"hidden\" name=\"csrf\" value=\"").append(esc(s.csrf)).append("\">"));
        for (String f : fields) {
            b.append("<input type=\"hidden\" name=\"").append(f).append("\" value=\"").append(esc(form.get(f))).append("\">");
        }
        b.append("<input type=\"hidden\" name=\"confirm\" value=\"yes\"><button type=\"submit\" class=\"primary\" autofocus>")
                .append("Yes, ").append(esc(action.replace('-', ' '))).append("</button> <a class=\"button\" href=\"")
                .append(view).append("\">Cancel</a></form></div>");
        return Page.ok(Page.render(view, "Confirm " + action.replace('-', ' '), session.map(s -> s.operator),
                security.actionsEnabled(), "", b.toString()));
    }

    private HttpResponse<String> refused(HttpRequest<?> request, String action, int status, String why) {
        LOG.warn("console action {} refused (from {}): {}", action, ConsoleSecurity.from(request), why);
        String hint = status == 401 && security.actionsEnabled()
                ? " <a href=\"/console/sign-in\">Sign in</a>" : "";
        return Page.html(HttpResponse.status(HttpStatus.valueOf(status)), Page.render("", "Refused",
                security.session(request).map(s -> s.operator), security.actionsEnabled(),
                Page.notice("error", "Refused: " + esc(why) + "." + hint), "<p><a href=\"/\">Back to the console</a></p>"));
    }

    /** The fields of an {@code application/x-www-form-urlencoded} body; empty when it is not one. */
    static Optional<Map<String, String>> form(@Nullable String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return Optional.of(out);
        }
        if (body.length() > MAX_FORM_CHARS) {
            return Optional.empty();
        }
        try {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(name, value);
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(out);
    }
}
