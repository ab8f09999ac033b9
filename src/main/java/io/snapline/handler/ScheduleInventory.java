package io.snapline.handler;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The snapshot schedules, as the operator console shows them. The scheduling capability implements
 * it as a bean; without such a bean the console says schedules are not available in this build.
 */
public interface ScheduleInventory {

    /** One schedule: its next slot and how its last run went. */
    record Schedule(String name, String target, String rule, Optional<Instant> nextSlot,
                    Optional<Instant> lastRunAt, Optional<String> lastResult) {
    }

    List<Schedule> schedules();
}
