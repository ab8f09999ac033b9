package io.snapline.handler.export;

import io.snapline.config.ExportPolicies;
import io.snapline.config.ExportPolicy;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import io.snapline.handler.MessageHandler;
import io.snapline.handler.Outcome;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.Pipeline;
import io.snapline.ledger.StepState;
import io.snapline.message.CrawlerStateChanged;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Glue crawler finished (Succeeded or Failed): exports waiting for it (their {@code crawl:<policy>}
 * step is WAITING in the ledger's recent pipelines) get their crawl started now instead of at their
 * next re-check. One start serves every waiter whose files were ready before it. This is a
 * shortcut only: the waiting exports' delayed re-checks reach the same result without this event.
 */
@Singleton
public class CrawlerStateChangedHandler implements MessageHandler<CrawlerStateChanged> {

    /** How many recent pipelines are searched for waiters. */
    static final int RECENT_PIPELINES = 200;

    private final ExportPolicies policies;
    private final Gateways gateways;
    private final Ledger ledger;
    private final ExportPipeline pipeline;
    private final CrawlerStarter crawler;

    public CrawlerStateChangedHandler(ExportPolicies policies, Gateways gateways, Ledger ledger,
                                      ExportPipeline pipeline, CrawlerStarter crawler) {
        this.policies = policies;
        this.gateways = gateways;
        this.ledger = ledger;
        this.pipeline = pipeline;
        this.crawler = crawler;
    }

    @Override
    public Class<CrawlerStateChanged> messageType() {
        return CrawlerStateChanged.class;
    }

    @Override
    public Outcome handle(CrawlerStateChanged event) {
        if (!event.state().equalsIgnoreCase("Succeeded") && !event.state().equalsIgnoreCase("Failed")) {
            return Outcome.skipped("crawler " + event.crawlerName() + " " + event.state() + ": nothing to do until it finishes");
        }
        List<ExportPolicy> using = policies.all().stream()
                .filter(p -> p.crawlerName().filter(event.crawlerName()::equals).isPresent())
                .toList();
        if (using.isEmpty()) {
            return Outcome.skipped("crawler " + event.crawlerName() + " is not used by any export policy");
        }
        List<ExportSubject> waiting = new ArrayList<>();
        List<ExportTask> tasks = new ArrayList<>();
        for (Pipeline p : ledger.pipelines(RECENT_PIPELINES)) {
            for (ExportPolicy policy : using) {
                boolean waits = p.steps().stream().anyMatch(s -> s.name().equals("crawl:" + policy.name())
                        && s.state() == StepState.WAITING);
                if (!waits) {
                    continue;
                }
                String taskId = pipeline.taskIdOf(policy, p.id());
                Optional<ExportTask> task = gateways.exports(policy.sourceAccess()).exportTask(taskId);
                if (task.isPresent() && task.get().complete()) {
                    waiting.add(pipeline.subject(policy, task.get()));
                    tasks.add(task.get());
                }
            }
        }
        if (waiting.isEmpty()) {
            return Outcome.done("crawler " + event.crawlerName() + " " + event.state() + ": no export waiting for it");
        }
        Optional<Instant> started = Optional.empty();
        int satisfied = 0;
        Outcomes outcomes = new Outcomes();
        for (int i = 0; i < waiting.size(); i++) {
            try {
                CrawlerStarter.Result r = crawler.crawl(waiting.get(i), tasks.get(i), started);
                if (r.startedAt().isPresent()) {
                    started = r.startedAt();
                }
                if (r.outcome().status() != Outcome.Status.RECHECK_LATER) {
                    satisfied++;
                }
            } catch (RuntimeException e) {
                outcomes.failed(e);
            }
        }
        outcomes.add(Outcome.done("crawler " + event.crawlerName() + " " + event.state() + ": " + satisfied + " of "
                + waiting.size() + " waiting exports crawled or crawling"));
        return outcomes.result();
    }
}
