package io.snapline.handler.export;

import io.snapline.gateway.CrawlerGateway;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import io.snapline.handler.Outcome;
import io.snapline.handler.step.StepResult;
import io.snapline.handler.step.StepRunner;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts the policy's Glue crawler once an export's objects are in place (export finished and
 * ACLs rewritten): a step of the {@link StepRunner} under {@code crawl#<taskId>}.
 *
 * <p>{@code CrawlerRunningException} must not lose the export: a crawl that is already running may
 * have started before these files landed and would miss them. So the step is satisfied only by a
 * crawl that <em>started after the files were ready</em> (the later of the export's end time and the
 * ACL step's completion): we start one ourselves, or see (via GetCrawler's last crawl start) that one
 * did (it is looked at before starting one, so a start whose answer was lost, by a process that
 * died before recording it, is not repeated). Otherwise the step waits (WAITING, RECHECK_LATER); the re-check starts the crawler again once
 * it is READY. The crawler runs with the crawler access of the policy (the account that owns the
 * bucket and the Glue catalog). A missing crawler ({@code EntityNotFoundException}) is permanent.
 * No crawler configured is a step SKIPPED.
 *
 * @see <a href="https://docs.aws.amazon.com/glue/latest/webapi/API_StartCrawler.html">StartCrawler</a>
 */
@Singleton
public class CrawlerStarter {

    /** Crawls can take hours; 5 minutes x the re-check budget (200) covers about 16 hours. */
    static final Duration RUNNING_RECHECK = Duration.ofMinutes(5);

    private final Gateways gateways;
    private final Ledger ledger;
    private final StepRunner runner;
    private final Notifier notifier;
    private final Clock clock;

    @Inject
    public CrawlerStarter(Gateways gateways, Ledger ledger, StepRunner runner, Notifier notifier) {
        this(gateways, ledger, runner, notifier, Clock.systemUTC());
    }

    public CrawlerStarter(Gateways gateways, Ledger ledger, StepRunner runner, Notifier notifier, Clock clock) {
        this.gateways = gateways;
        this.ledger = ledger;
        this.runner = runner;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** The ledger key of the crawl step of a task. */
    public static String crawlKey(String taskId) {
        return "crawl#" + taskId;
    }

    /**
     * What a crawl attempt did.
     *
     * @param outcome   DONE/ALREADY_DONE (satisfied), SKIPPED (no crawler), RECHECK_LATER (busy),
     *                  ALREADY_FAILED (failed before)
     * @param startedAt when this call started the crawler, if it did
     */
    public record Result(Outcome outcome, Optional<Instant> startedAt) {
    }

    /** Starts (or waits for) the crawl of a completed export whose ACLs are done. */
    public Outcome crawl(ExportSubject s, ExportTask task) {
        return crawl(s, task, Optional.empty()).outcome();
    }

    /**
     * As {@link #crawl(ExportSubject, ExportTask)}, where {@code knownCrawlStart} is the start of a
     * crawl of this crawler seen by the caller (e.g. one it has just started for another export).
     */
    public Result crawl(ExportSubject s, ExportTask task, Optional<Instant> knownCrawlStart) {
        AtomicReference<Instant> started = new AtomicReference<>();
        Outcome outcome = runner.run(s.step("crawl", crawlKey(s.taskId()), notifier.failureNotice(s)),
                () -> run(s, task, knownCrawlStart, started));
        return new Result(outcome, Optional.ofNullable(started.get()));
    }

    private StepResult run(ExportSubject s, ExportTask task, Optional<Instant> knownCrawlStart,
                           AtomicReference<Instant> started) {
        Optional<String> name = s.policy().crawlerName();
        if (name.isEmpty()) {
            return StepResult.skipped("no crawler configured");
        }
        String crawler = name.get();
        Instant ready = filesReadyAt(s, task);
        if (knownCrawlStart.filter(t -> t.isAfter(ready)).isPresent()) {
            return StepResult.done("crawler " + crawler + " started at " + knownCrawlStart.get(),
                    "crawler " + crawler + " started at " + knownCrawlStart.get() + ", after the files landed");
        }
        CrawlerGateway crawlers = gateways.crawlers(s.policy().crawlerAccess());
        // Looked at first: a crawl this step started before its process died (StartCrawler reached
        // Glue, its answer never came back, the claim lapsed) must not be started a second time.
        CrawlerGateway.CrawlerInfo seen = crawlers.get(crawler);
        if (seen.lastCrawlStart().filter(t -> t.isAfter(ready)).isPresent()) {
            return StepResult.done("crawler " + crawler + " crawled since " + seen.lastCrawlStart().get(),
                    "crawler " + crawler + " crawled since " + seen.lastCrawlStart().get() + ", after the files landed");
        }
        Instant before = clock.instant();
        if (crawlers.start(crawler) == CrawlerGateway.StartResult.STARTED) {
            started.set(before);
            return StepResult.done("started crawler " + crawler, "started crawler " + crawler
                    + " over the files of export " + s.taskId());
        }
        CrawlerGateway.CrawlerInfo info = crawlers.get(crawler);
        if (info.lastCrawlStart().filter(t -> t.isAfter(ready)).isPresent()) {
            return StepResult.done("crawler " + crawler + " running since " + info.lastCrawlStart().get(),
                    "crawler " + crawler + " running since " + info.lastCrawlStart().get() + ", after the files landed");
        }
        return StepResult.waiting(RUNNING_RECHECK, "waiting for crawler " + crawler + " (" + info.state()
                + "): a crawl that started before the export's files landed is running; it is started again when READY");
    }

    /** The later of the export's end and the ACL step's completion: when a crawl can see everything. */
    private Instant filesReadyAt(ExportSubject s, ExportTask task) {
        Instant end = task.endTime().orElse(Instant.EPOCH);
        Instant acl = ledger.operation(AclRewriter.aclKey(s.taskId()))
                .filter(OperationRecord::completed).map(OperationRecord::updatedAt).orElse(Instant.EPOCH);
        return end.isAfter(acl) ? end : acl;
    }
}
