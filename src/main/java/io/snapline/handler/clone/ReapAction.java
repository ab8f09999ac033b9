package io.snapline.handler.clone;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.snapline.config.ClonePolicy;
import io.snapline.config.CloningProperties;
import io.snapline.error.PermanentProcessingException;
import io.snapline.handler.CommandAction;
import io.snapline.handler.Outcome;
import io.snapline.handler.step.Step;
import io.snapline.handler.step.StepResult;
import io.snapline.handler.step.StepRunner;
import io.snapline.message.Command;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduled {@code reap} command ({@code {"command":"reap","dryRun":false}}): deletes every clone of
 * the service that is due (expired; failed; or not handed over {@code max-setup-time} after it was
 * created, a pipeline that died), and warns the requesters of clones expiring within
 * {@code warn-before}, once per expiry. Only resources carrying the service's clone tag are ever
 * looked at ({@link CloneLookup}). At most {@code max-deletes-per-run}: more due at once, and the run
 * deletes none and fails loudly (a clock or tag gone wrong must not wipe every clone). A dry run
 * lists what it would delete.
 */
@Singleton
public class ReapAction implements CommandAction {

    private static final Logger LOG = LoggerFactory.getLogger(ReapAction.class);
    /** The pipeline (in {@code /pipelines}) of reap runs that refused to delete. */
    public static final String REAP_PIPELINE = "clones:reap";

    private final CloneLookup lookup;
    private final CloneRequests requests;
    private final CloneCleanup cleanup;
    private final CloneNotifier notifier;
    private final CloneStore store;
    private final StepRunner runner;
    private final CloningProperties cloning;
    private final CloneTime time;
    private final MeterRegistry meters;

    public ReapAction(CloneLookup lookup, CloneRequests requests, CloneCleanup cleanup, CloneNotifier notifier,
                      CloneStore store, StepRunner runner, CloningProperties cloning, CloneTime time,
                      MeterRegistry meters) {
        this.lookup = lookup;
        this.requests = requests;
        this.cleanup = cleanup;
        this.notifier = notifier;
        this.store = store;
        this.runner = runner;
        this.cloning = cloning;
        this.time = time;
        this.meters = meters;
    }

    @Override
    public String name() {
        return "reap";
    }

    /** Why a clone is due, or empty when it is not. */
    Optional<String> due(CloneLookup.Found f, Instant now) {
        if (f.failed()) {
            return Optional.of("failed");
        }
        Optional<Instant> expires = f.expiresAt();
        if (expires.isEmpty()) {
            return Optional.of("expired");
        }
        if (!expires.get().isAfter(now)) {
            return Optional.of("expired");
        }
        if (!f.handedOver() && f.createTime().map(t -> t.plus(cloning.maxSetupTime()).isBefore(now)).orElse(false)) {
            return Optional.of("setup-timeout");
        }
        return Optional.empty();
    }

    @Override
    public Outcome run(Command command) {
        Instant now = time.now();
        List<CloneLookup.Found> all = lookup.all();
        List<Map.Entry<CloneLookup.Found, String>> due = new ArrayList<>();
        for (CloneLookup.Found f : all) {
            due(f, now).ifPresent(why -> due.add(Map.entry(f, why)));
        }
        if (due.size() > cloning.maxDeletesPerRun()) {
            count("all", "capped", due.size());
            String reason = due.size() + " clones are due at once, more than snapline.cloning.max-deletes-per-run="
                    + cloning.maxDeletesPerRun() + "; none deleted. Check the clock and the "
                    + "snapline:expires-at tags, then raise the cap or delete them with the delete command";
            // A step of this run on the pipeline REAP_PIPELINE: the refusal is in /pipelines, logged once
            // (ERROR) and the message dead-lettered with the reason, by the step runner.
            return runner.run(Step.of("reap#run#" + now, "reap", "all", REAP_PIPELINE, REAP_PIPELINE,
                    Step.FailureNotice.NONE), () -> {
                        throw new PermanentProcessingException(reason);
                    });
        }
        if (command.dryRun()) {
            List<String> would = due.stream().map(e -> e.getKey().id() + " (" + e.getValue() + ")").toList();
            would.forEach(w -> LOG.info("DRY-RUN reap would delete clone {}", w));
            return Outcome.skipped("dry run: would delete " + would.size() + " clone(s)"
                    + (would.isEmpty() ? "" : ": " + String.join(", ", would)));
        }
        List<String> deleted = new ArrayList<>();
        for (Map.Entry<CloneLookup.Found, String> e : due) {
            CloneLookup.Found f = e.getKey();
            CloneCleanup.Deletion d = cleanup.delete(f.id(), f.policy(), "reaped: " + e.getValue());
            count(f.policy(), e.getValue(), 1);
            deleted.add(f.id() + " (" + e.getValue() + ")");
            Optional<CloneRecord> record = store.record(f.id());
            if (d.complete() && !"failed".equals(e.getValue())) {
                notifier.send(requests.policy(f.policy()), record.map(CloneRecord::responseUrl), "clone-deleted", f.id(),
                        "Snapline: clone " + f.id() + " of " + record.map(CloneRecord::source).orElse("?")
                                + " was deleted (" + e.getValue() + ")", Map.of("reason", e.getValue()));
            }
        }
        int warned = warn(all, due, now);
        String summary = "reaped " + deleted.size() + " clone(s)" + (deleted.isEmpty() ? "" : ": "
                + String.join(", ", deleted)) + "; warned " + warned;
        LOG.info("reap: {}", summary);
        return Outcome.done(summary);
    }

    private int warn(List<CloneLookup.Found> all, List<Map.Entry<CloneLookup.Found, String>> due, Instant now) {
        if (cloning.warnBefore().isZero()) {
            return 0;
        }
        int warned = 0;
        for (CloneLookup.Found f : all) {
            if (due.stream().anyMatch(e -> e.getKey().id().equals(f.id())) || !f.handedOver()) {
                continue;
            }
            Optional<Instant> expires = f.expiresAt();
            if (expires.isEmpty() || expires.get().minus(cloning.warnBefore()).isAfter(now)) {
                continue;
            }
            Optional<ClonePolicy> policy = requests.policy(f.policy());
            Optional<CloneRecord> record = store.record(f.id());
            Outcome o = runner.run(Step.of(CloneStore.key(f.id(), "warn#" + expires.get()), "clone-warn",
                    f.policy().isEmpty() ? "unknown" : f.policy(), f.id(), f.id(), Step.FailureNotice.NONE),
                    () -> StepResult.done("warned", "warned of the expiry at " + expires.get() + " via "
                            + notifier.send(policy, record.map(CloneRecord::responseUrl), "clone-expiring", f.id(),
                            "Snapline: clone " + f.id() + " expires at " + expires.get() + "; extend it with"
                                    + " /clone extend " + f.id() + " <ttl>", Map.of("expiresAt", expires.get().toString()))));
            if (o.status() == Outcome.Status.DONE) {
                warned++;
            }
        }
        return warned;
    }

    private void count(String policy, String reason, int n) {
        Counter.builder("snapline.clone.deletions").description("clones deleted by the reaper, by policy and reason")
                .tag("policy", policy.isEmpty() ? "unknown" : policy).tag("reason", reason).register(meters).increment(n);
    }
}
