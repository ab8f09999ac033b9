package io.snapline.handler.schedule;

import io.snapline.config.SnapshotSchedule;
import io.snapline.handler.ScheduleInventory;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.Pipeline;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The snapshot schedules as the operator console shows them: each policy's next slot (its cron in its
 * zone, from the service's clock) and its last tick's result, read from the ledger where
 * {@link SnapshotAction} records every tick it handles (the pipeline {@code schedule:<policy>}, step
 * {@code tick}), so the answer survives a restart and is the same on every task.
 */
@Singleton
public class ScheduleOverview implements ScheduleInventory {

    private final List<SnapshotSchedule> schedules;
    private final Ledger ledger;
    private final Clock clock;

    public ScheduleOverview(List<SnapshotSchedule> schedules, Ledger ledger, Clock clock) {
        this.schedules = schedules;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** The ledger pipeline holding a schedule's ticks. */
    public static String pipelineId(String policy) {
        return "schedule:" + policy;
    }

    @Override
    public List<Schedule> schedules() {
        return schedules.stream().sorted(Comparator.comparing(SnapshotSchedule::name)).map(s -> {
            Optional<Pipeline.Step> last = ledger.pipeline(pipelineId(s.name()))
                    .flatMap(p -> p.steps().stream().filter(st -> st.name().equals("tick"))
                            .max(Comparator.comparing(Pipeline.Step::at)));
            return new Schedule(s.name(), String.join(", ", s.sources() == null ? List.of() : s.sources()) + " (" + s.scope() + ")",
                    s.schedule() + " in " + s.timeZone(), s.cron().nextSlot(clock.instant(), s.zone()),
                    last.map(Pipeline.Step::at), last.map(st -> st.state() + ": " + st.detail()));
        }).toList();
    }
}
