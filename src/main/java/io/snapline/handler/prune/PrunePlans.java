package io.snapline.handler.prune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.snapline.config.ExportRetentionProperties;
import io.snapline.config.RetentionPolicy;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The plans of prune runs, kept in the ledger: the durable record of what a run deleted, kept and
 * protected, and why. One log line cannot be that record (a 10,000-snapshot plan is about 260,000
 * characters; CloudWatch Logs caps an event at 256 KiB and container log drivers split long lines),
 * so each policy's plan is stored here before anything is deleted, and the plan log line only
 * summarises it and names where it is.
 *
 * <p><b>Layout.</b> Only completed operation records of the {@link Ledger} API, so they live for the
 * ledger's completed-record TTL ({@code snapline.ledger.completed-ttl}) and need nothing else of it:
 * <ul>
 *   <li>{@code plan#<kind>#<policy>#<runId>#<n>}: page {@code n} (from 0) of the policy's plan
 *       document, the {@link PolicyPlan} as JSON, written ASCII-only (every other character as a
 *       {@code \}{@code uXXXX} escape, so no character, not even a lone surrogate, can break a store)
 *       and cut into pages of at most {@link #PAGE_CHARS} characters (= bytes): far below DynamoDB's
 *       400 KB item limit, one journal line of the embedded ledger each;</li>
 *   <li>{@code plan#<kind>#<policy>#<runId>#manifest}: the run's {@link Stored} manifest (pages,
 *       length, SHA-256 of the document, counts);</li>
 *   <li>{@code plan#<kind>#<policy>#latest}: the same manifest, for the latest run of the policy
 *       (dry run or not).</li>
 * </ul>
 * Pages are written before the manifest, and the manifest before the pointer, so a pointer only ever
 * names complete pages; a run that dies half-way leaves pages no manifest names, which expire. A
 * document is read back only when its pages add up to the manifest's length and digest.
 *
 * <p>In dry-run mode the ledger is a {@code DryRunLedger}: plans are then stored (and read) under its
 * {@code dry-run#} prefix, apart from a real run's.
 */
@Singleton
public class PrunePlans {

    /** The largest page, in characters (the document is ASCII, so also in bytes). */
    public static final int PAGE_CHARS = 64 * 1024;
    /** The policy kinds a plan can be stored under. */
    public static final Set<String> KINDS = Set.of("snapshots", "exports");

    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Far longer than any policy name; a longer one (from a URL) is never looked up. */
    private static final int MAX_POLICY_CHARS = 256;
    private static final ObjectWriter DOCUMENT = PlanJson.mapper().writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);
    private static final ObjectReader PLAN = PlanJson.mapper().readerFor(PolicyPlan.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectReader MANIFEST = PlanJson.mapper().readerFor(Stored.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private volatile Supplier<Ledger> ledger;
    private volatile boolean unbound;
    private final Set<String> configured = new TreeSet<>();
    /** Policies this instance stored a plan for (a policy no longer configured is still listed until restart). */
    private final Set<String> written = ConcurrentHashMap.newKeySet();

    /**
     * The bean. The ledger is looked up at first use, not at start-up (as the {@link Pruner} does).
     * {@code GET /prune/plan} lists the configured policies' latest plans.
     */
    @Inject
    public PrunePlans(Provider<Ledger> ledger, List<RetentionPolicy> policies,
                      List<ExportRetentionProperties> exportPolicies) {
        this.ledger = ledger::get;
        policies.forEach(p -> configured.add(name("snapshots", p.name())));
        exportPolicies.stream().filter(ExportRetentionProperties::hasRetention)
                .forEach(p -> configured.add(name("exports", p.name())));
    }

    /** A store over {@code ledger} that lists the policies it stored plans for (tests, tools). */
    public PrunePlans(Ledger ledger) {
        this.ledger = () -> ledger;
    }

    /**
     * A store not yet bound to a ledger: the first {@link Pruner} built with it binds it to its own
     * ledger (tests that build a pruner by hand). Used unbound, it throws.
     */
    public PrunePlans() {
        this.ledger = () -> {
            throw new IllegalStateException("this PrunePlans is bound to no ledger: build a Pruner with it first, "
                    + "or use new PrunePlans(ledger)");
        };
        this.unbound = true;
    }

    /** Binds an unbound store ({@link #PrunePlans()}) to {@code ledger}; a bound one is left as it is. */
    synchronized PrunePlans bindIfUnbound(Supplier<Ledger> ledger) {
        if (unbound) {
            this.ledger = ledger;
            unbound = false;
        }
        return this;
    }

    /**
     * Where one policy's plan of one run is, and what it holds: the manifest. {@code chars} and
     * {@code sha256} are those of the whole document (the concatenated pages).
     */
    public record Stored(String kind, String policy, String runId, Instant at, String trigger, boolean dryRun,
                         int deleteCount, int keptCount, int protectedCount, int pages, long chars, String sha256) {

        /** The ledger key of page {@code n}. */
        public String pageKey(int n) {
            return PrunePlans.pageKey(kind, policy, runId, n);
        }

        /** The key of the first page, then {@code ..<last page>}: where a log line says the plan is. */
        public String keys() {
            return pageKey(0) + (pages > 1 ? ".." + (pages - 1) : "");
        }

        /** {@code snapshots:<policy>} / {@code exports:<policy>}, as {@code GET /prune/plan} keys it. */
        public String name() {
            return PrunePlans.name(kind, policy);
        }
    }

    /** A document that could not be read back whole (pages expired, or not adding up). */
    public static final class UnreadablePlanException extends RuntimeException {
        UnreadablePlanException(String message) {
            super(message);
        }
    }

    static String name(String kind, String policy) {
        return kind + ":" + policy;
    }

    static String pageKey(String kind, String policy, String runId, int page) {
        return "plan#" + kind + "#" + policy + "#" + runId + "#" + page;
    }

    static String manifestKey(String kind, String policy, String runId) {
        return "plan#" + kind + "#" + policy + "#" + runId + "#manifest";
    }

    static String latestKey(String kind, String policy) {
        return "plan#" + kind + "#" + policy + "#latest";
    }

    /**
     * Stores every policy plan of a run, pages first, then its manifest, then the latest pointer.
     * A failing write throws: the caller deletes nothing without a stored plan.
     */
    public List<Stored> put(RunPlan run) {
        List<Stored> out = new ArrayList<>();
        for (PolicyPlan p : run.policies()) {
            out.add(put(run, p));
        }
        return out;
    }

    private Stored put(RunPlan run, PolicyPlan plan) {
        String document = document(plan);
        List<String> pages = pages(document);
        Stored stored = new Stored(plan.kind(), plan.policy(), run.runId(), run.at(), run.trigger(), run.dryRun(),
                plan.deleteCount(), plan.keptCount(), plan.protectedCount(), pages.size(), document.length(),
                sha256(document));
        Ledger l = ledger.get();
        for (int i = 0; i < pages.size(); i++) {
            l.complete(stored.pageKey(i), pages.get(i));
        }
        String manifest = PlanJson.write(stored);
        l.complete(manifestKey(plan.kind(), plan.policy(), run.runId()), manifest);
        l.complete(latestKey(plan.kind(), plan.policy()), manifest);
        written.add(stored.name());
        return stored;
    }

    /** The plan as stored: JSON, ASCII only. */
    static String document(PolicyPlan plan) {
        try {
            return DOCUMENT.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the plan of " + plan.policy() + " as JSON", e);
        }
    }

    static List<String> pages(String document) {
        List<String> pages = new ArrayList<>();
        for (int from = 0; from < document.length(); from += PAGE_CHARS) {
            pages.add(document.substring(from, Math.min(document.length(), from + PAGE_CHARS)));
        }
        if (pages.isEmpty()) {
            pages.add("");
        }
        return pages;
    }

    /** The manifest of the latest run of one policy. */
    public Optional<Stored> latest(String kind, String policy) {
        if (!valid(kind, policy)) {
            return Optional.empty();
        }
        return manifest(latestKey(kind, policy));
    }

    /** The manifest of one run of one policy, while the ledger keeps it. */
    public Optional<Stored> run(String kind, String policy, String runId) {
        if (!valid(kind, policy) || runId == null || !RUN_ID.matcher(runId).matches()) {
            return Optional.empty();
        }
        return manifest(manifestKey(kind, policy, runId));
    }

    private Optional<Stored> manifest(String key) {
        return ledger.get().operation(key).filter(OperationRecord::completed).flatMap(OperationRecord::result)
                .map(text -> {
                    try {
                        return MANIFEST.<Stored>readValue(text);
                    } catch (JsonProcessingException e) {
                        throw new UnreadablePlanException("the plan manifest " + key + " cannot be read: "
                                + e.getOriginalMessage());
                    }
                });
    }

    /** Page {@code n} of a stored plan, as stored. */
    public Optional<String> page(Stored s, int n) {
        if (n < 0 || n >= s.pages()) {
            return Optional.empty();
        }
        return ledger.get().operation(s.pageKey(n)).filter(OperationRecord::completed).flatMap(OperationRecord::result);
    }

    /** The whole document of a stored plan, checked against its manifest. */
    public String document(Stored s) {
        StringBuilder out = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 8, s.chars()));
        for (int i = 0; i < s.pages(); i++) {
            int n = i;
            out.append(page(s, i).orElseThrow(() -> new UnreadablePlanException("page " + n + " of " + s.pages()
                    + " of the plan of " + s.name() + " (run " + s.runId() + ", ledger key " + s.pageKey(n)
                    + ") is gone: it expired or was never written")));
        }
        String document = out.toString();
        if (document.length() != s.chars() || !sha256(document).equals(s.sha256())) {
            throw new UnreadablePlanException("the pages of the plan of " + s.name() + " (run " + s.runId()
                    + ") do not add up to the " + s.chars() + " characters its manifest names");
        }
        return document;
    }

    /** The stored plan, parsed. */
    public PolicyPlan plan(Stored s) {
        try {
            return PLAN.readValue(document(s));
        } catch (JsonProcessingException e) {
            throw new UnreadablePlanException("the plan of " + s.name() + " (run " + s.runId() + ") cannot be read: "
                    + e.getOriginalMessage());
        }
    }

    /** The latest manifest of every configured policy (and of every policy stored by this instance). */
    public Map<String, Stored> latestOfAll() {
        Set<String> names = new TreeSet<>(configured);
        names.addAll(written);
        Map<String, Stored> out = new TreeMap<>();
        for (String n : names) {
            int colon = n.indexOf(':');
            latest(n.substring(0, colon), n.substring(colon + 1)).ifPresent(s -> out.put(n, s));
        }
        return out;
    }

    /** The latest manifests of one policy name (both kinds if both exist). */
    public Map<String, Stored> latestOf(String policy) {
        Map<String, Stored> out = new LinkedHashMap<>();
        for (String kind : List.of("exports", "snapshots")) {
            latest(kind, policy).ifPresent(s -> out.put(s.name(), s));
        }
        return out;
    }

    /** Every policy's latest plan, keyed {@code snapshots:<policy>} / {@code exports:<policy>}. */
    public Map<String, PolicyPlan> all() {
        Map<String, PolicyPlan> out = new TreeMap<>();
        latestOfAll().forEach((n, s) -> out.put(n, plan(s)));
        return out;
    }

    /** The latest plans of one policy name (both kinds if both exist). */
    public Map<String, PolicyPlan> of(String policy) {
        Map<String, PolicyPlan> out = new TreeMap<>();
        latestOf(policy).forEach((n, s) -> out.put(n, plan(s)));
        return out;
    }

    private static boolean valid(String kind, String policy) {
        return KINDS.contains(kind) && policy != null && !policy.isEmpty() && policy.length() <= MAX_POLICY_CHARS;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
