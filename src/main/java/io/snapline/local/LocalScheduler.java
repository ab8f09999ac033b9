package io.snapline.local;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.snapline.config.SchedulingProperties;
import io.snapline.config.SnapshotSchedule;
import io.snapline.consumer.QueueTopology;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Local mode's stand-in for EventBridge Scheduler: at each slot of each {@code snapline.snapshots}
 * policy it sends the same tick a schedule sends, {@code {"command":"snapshot","policy":…,"slot":…}},
 * into the embedded queue, so the local dry run shows the whole chain. It looks at the service's
 * clock once a second and sends every slot passed since it last looked (none from before the start:
 * a missed slot is {@code reconcile}'s). Off with {@code snapline.scheduling.local-scheduler=false}.
 */
@Singleton
@Requires(condition = LocalModeCondition.class)
@Requires(property = "snapline.scheduling.local-scheduler", notEquals = "false")
public class LocalScheduler implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(LocalScheduler.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final List<SnapshotSchedule> schedules;
    private final SqsClient sqs;
    private final QueueTopology topology;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-scheduler");
        t.setDaemon(true);
        return t;
    });
    private Instant lastLook;

    public LocalScheduler(List<SnapshotSchedule> schedules, SchedulingProperties settings, SqsClient sqs,
                          QueueTopology topology, Clock clock) {
        this.schedules = schedules;
        this.sqs = sqs;
        this.topology = topology;
        this.clock = clock;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        if (schedules.isEmpty()) {
            return;
        }
        synchronized (this) {
            lastLook = clock.instant();
        }
        schedules.forEach(s -> LOG.info("local scheduler: policy {} ({} in {}), next slot {}", s.name(), s.schedule(),
                s.timeZone(), s.cron().nextSlot(lastLook, s.zone()).map(Instant::toString).orElse("none")));
        timer.scheduleWithFixedDelay(this::look, 1, 1, TimeUnit.SECONDS);
    }

    /** Sends the ticks of every slot in (last look, now]; answers how many it sent. */
    public synchronized int look() {
        Instant now = clock.instant();
        if (lastLook == null) {
            lastLook = now;
            return 0;
        }
        int sent = 0;
        for (SnapshotSchedule s : schedules) {
            for (Instant slot : due(s, lastLook, now)) {
                String body = tick(s.name(), slot);
                try {
                    sqs.sendMessage(r -> r.queueUrl(topology.queueUrl()).messageBody(body));
                    LOG.info("local scheduler: tick sent for policy {} slot {}", s.name(), slot);
                    sent++;
                } catch (RuntimeException e) {
                    LOG.error("local scheduler: the tick for policy {} slot {} could not be sent ({}); reconcile "
                            + "catches it up", s.name(), slot, e.toString());
                }
            }
        }
        lastLook = now;
        return sent;
    }

    /** The tick's body, as the Terraform schedule's target input writes it. */
    static String tick(String policy, Instant slot) {
        java.util.Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put("command", "snapshot");
        body.put("policy", policy);
        body.put("slot", slot.toString());
        try {
            return JSON.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a tick", e);
        }
    }

    /** The slots of a schedule in (from, to]. */
    static List<Instant> due(SnapshotSchedule s, Instant from, Instant to) {
        List<Instant> out = new ArrayList<>();
        Optional<Instant> next = s.cron().nextSlot(from, s.zone());
        while (next.isPresent() && !next.get().isAfter(to)) {
            out.add(next.get());
            next = s.cron().nextSlot(next.get(), s.zone());
        }
        return out;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
