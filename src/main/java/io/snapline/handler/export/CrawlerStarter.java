package io.snapline.handler.export;

import io.snapline.config.ConsumedQueue;
import io.snapline.error.PermanentProcessingException;
import io.snapline.gateway.CrawlerGateway;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import io.snapline.handler.Outcome;
import io.snapline.ledger.ClaimResult;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import io.snapline.ledger.StepState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Starts the policy's Glue crawler once an export's objects are in place (export finished and
 * ACLs rewritten), claimed as {@code crawl#<taskId>}.
 *
 * <p>{@code CrawlerRunningException} must not lose the export: a crawl that is already running may
 * have started before these files landed and would miss them. So the step is satisfied only by a
 * crawl that <em>started after the files were ready</em> (the later of the export's end time and the
 * ACL step's completion): we start one ourselves, or see (via GetCrawler's last crawl start) that one
 * did. Otherwise the step records WAITING and answers RECHECK_LATER; the re-check starts the crawler
 * again once it is READY. The crawler runs with the service's own credentials (the account that
 * owns the bucket and the Glue catalog). {@code EntityNotFoundException} is permanent.
 *
 * @see <a href="https://docs.aws.amazon.com/glue/latest/webapi/API_StartCrawler.html">StartCrawler</a>
 */
@Singleton
public class CrawlerStarter {

    /** Crawls can take hours; 5 minutes x the re-check budget (200) covers about 16 hours. */
    static final Duration RUNNING_RECHECK = Duration.ofMinutes(5);

    private final Gateways gateways;
    private final Ledger ledger;
    private final Duration lease;
    private final Notifier notifier;
    private final Clock clock;

    @Inject
    public CrawlerStarter(Gateways gateways, Ledger ledger, ConsumedQueue queue, Notifier notifier) {
        this(gateways, ledger, queue.visibilityTimeout(), notifier, Clock.systemUTC());
    }

    public CrawlerStarter(Gateways gateways, Ledger ledger, Duration lease, Notifier notifier, Clock clock) {
        this.gateways = gateways;
        this.ledger = ledger;
        this.lease = lease;
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
     * @param outcome   DONE/ALREADY_DONE (satisfied), SKIPPED (no crawler), RECHECK_LATER (busy)
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
        Optional<String> name = s.policy().crawlerName();
        String step = s.step("crawl");
        if (name.isEmpty()) {
            ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), step, StepState.SKIPPED, "no crawler configured");
            return new Result(Outcome.skipped("no crawler configured"), Optional.empty());
        }
        String crawler = name.get();
        String key = crawlKey(s.taskId());
        ClaimResult claim = ledger.claim(key, lease);
        if (claim.status() == ClaimResult.Status.ALREADY_DONE) {
            return new Result(Outcome.alreadyDone("crawl already done: " + claim.result().orElse("")), Optional.empty());
        }
        if (claim.status() == ClaimResult.Status.IN_PROGRESS) {
            return new Result(Outcome.recheckLater(RUNNING_RECHECK, "crawl step of " + s.taskId() + " in progress elsewhere"),
                    Optional.empty());
        }
        try {
            Instant ready = filesReadyAt(s, task);
            if (knownCrawlStart.filter(t -> t.isAfter(ready)).isPresent()) {
                satisfied(s, key, "crawler " + crawler + " started at " + knownCrawlStart.get() + ", after the files landed");
                return new Result(Outcome.done("crawl " + crawler + " already started after the files landed"), Optional.empty());
            }
            CrawlerGateway crawlers = gateways.crawlers(s.policy().crawlerAccess());
            Instant before = clock.instant();
            if (crawlers.start(crawler) == CrawlerGateway.StartResult.STARTED) {
                satisfied(s, key, "started crawler " + crawler);
                return new Result(Outcome.done("started crawler " + crawler), Optional.of(before));
            }
            CrawlerGateway.CrawlerInfo info = crawlers.get(crawler);
            if (info.lastCrawlStart().filter(t -> t.isAfter(ready)).isPresent()) {
                satisfied(s, key, "crawler " + crawler + " running since " + info.lastCrawlStart().get()
                        + ", after the files landed");
                return new Result(Outcome.done("crawl of " + crawler + " started after the files landed"), Optional.empty());
            }
            ledger.release(key);
            String detail = "waiting for crawler " + crawler + " (" + info.state()
                    + "): a crawl that started before the export's files landed is running; it is started again when READY";
            ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), step, StepState.WAITING, detail);
            return new Result(Outcome.recheckLater(RUNNING_RECHECK, "crawler " + crawler + " is busy"), Optional.empty());
        } catch (PermanentProcessingException e) {
            throw notifier.stepFailed(s, key, step, e);
        } catch (RuntimeException e) {
            ledger.release(key);
            throw e;
        }
    }

    /** The later of the export's end and the ACL step's completion: when a crawl can see everything. */
    private Instant filesReadyAt(ExportSubject s, ExportTask task) {
        Instant end = task.endTime().orElse(Instant.EPOCH);
        Instant acl = ledger.operation(AclRewriter.aclKey(s.taskId()))
                .filter(OperationRecord::completed).map(OperationRecord::updatedAt).orElse(Instant.EPOCH);
        return end.isAfter(acl) ? end : acl;
    }

    private void satisfied(ExportSubject s, String key, String detail) {
        ledger.complete(key, detail);
        ledger.recordStep(s.snapshotArn(), s.snapshotIdentifier(), s.step("crawl"), StepState.DONE, detail);
    }
}
