package io.snapline.handler.schedule;

import io.snapline.config.Cron;
import io.snapline.config.SnapshotSchedule;
import io.snapline.error.PermanentProcessingException;
import io.snapline.handler.CommandAction;
import io.snapline.handler.Outcome;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.StepState;
import io.snapline.message.Command;
import io.snapline.message.SafeText;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The {@code snapshot} command, a schedule's tick:
 * <pre>{@code {"command":"snapshot","policy":"twice-daily","slot":"2026-12-01T17:00:00Z"}}</pre>
 * {@code slot} is the slot time ({@code <aws.scheduler.scheduled-time>}; never an execution id, so a
 * retried invocation is the same slot). The tick is not executed, but skipped with its reason (logged,
 * counted in {@code snapline_snapshot_ticks_skipped_total{policy,reason}}), when its slot is not a slot
 * of the policy's cron in its zone ({@code not_a_slot}), lies more than {@link #FUTURE_TOLERANCE} ahead
 * ({@code future}), or is older than the policy's {@code catch-up-window} ({@code stale}: a missed slot
 * within the window is {@code reconcile}'s to catch up). An unknown policy or a missing or unreadable
 * slot is a permanent failure.
 */
@Singleton
public class SnapshotAction implements CommandAction {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotAction.class);
    /** A tick may arrive a little before its slot by the service's clock (skew); further ahead is refused. */
    static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(15);

    private final List<SnapshotSchedule> schedules;
    private final ScheduledSnapshots snapshots;
    private final Clock clock;
    private final Optional<Ledger> ledger;

    /** Without a ledger: the ticks' results are not kept for {@link ScheduleOverview} (tests of the action alone). */
    public SnapshotAction(List<SnapshotSchedule> schedules, ScheduledSnapshots snapshots, Clock clock) {
        this(schedules, snapshots, clock, Optional.empty());
    }

    @Inject
    public SnapshotAction(List<SnapshotSchedule> schedules, ScheduledSnapshots snapshots, Clock clock, Ledger ledger) {
        this(schedules, snapshots, clock, Optional.of(ledger));
    }

    private SnapshotAction(List<SnapshotSchedule> schedules, ScheduledSnapshots snapshots, Clock clock,
                           Optional<Ledger> ledger) {
        this.schedules = schedules;
        this.snapshots = snapshots;
        this.clock = clock;
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return "snapshot";
    }

    @Override
    public Outcome run(Command command) {
        String policy = command.arg("policy").map(String::trim).filter(p -> !p.isEmpty()).orElseThrow(() ->
                new PermanentProcessingException("snapshot: no policy given; known snapshot policies: " + known()));
        SnapshotSchedule schedule = schedules.stream().filter(s -> s.name().equals(policy)).findFirst().orElseThrow(() ->
                new PermanentProcessingException("snapshot: no snapshot policy '" + SafeText.of(policy, 100)
                        + "' (snapline.snapshots.<name>); known: " + known()));
        String slotText = SafeText.of(command.arg("slot").orElse("(none)"), 100);
        try {
            Outcome outcome = tick(command, schedule);
            record(schedule, slotText, switch (outcome.status()) {
                case DONE, ALREADY_DONE -> StepState.DONE;
                case SKIPPED -> StepState.SKIPPED;
                case RECHECK_LATER -> StepState.WAITING;
                case ALREADY_FAILED -> StepState.FAILED;
            }, outcome.reason());
            return outcome;
        } catch (RuntimeException e) {
            record(schedule, slotText, StepState.FAILED, String.valueOf(e.getMessage()));
            throw e;
        }
    }

    /** The schedule's last tick, kept as the step {@code tick} of its pipeline {@link ScheduleOverview#pipelineId}. */
    private void record(SnapshotSchedule schedule, String slot, StepState state, String reason) {
        ledger.ifPresent(l -> l.recordStep(ScheduleOverview.pipelineId(schedule.name()),
                ScheduleOverview.pipelineId(schedule.name()), "tick", state,
                SafeText.of("slot " + slot + ": " + reason, 1000), true));
    }

    private Outcome tick(Command command, SnapshotSchedule schedule) {
        String rawSlot = command.arg("slot").orElseThrow(() -> new PermanentProcessingException(
                "snapshot: no slot given; the tick must carry \"slot\" (the schedule's <aws.scheduler.scheduled-time>)"));
        Instant slot = parseSlot(rawSlot).map(Cron::toMinute).orElseThrow(() -> new PermanentProcessingException(
                "snapshot: slot '" + SafeText.of(rawSlot, 100) + "' is not an ISO-8601 instant such as 2026-12-01T17:00:00Z"));
        Instant now = clock.instant();
        if (!schedule.cron().isSlot(slot, schedule.zone())) {
            return skip(schedule, "not_a_slot", "slot " + slot + " is not a slot of " + schedule.schedule() + " in "
                    + schedule.timeZone() + "; not executed");
        }
        if (slot.isAfter(now.plus(FUTURE_TOLERANCE))) {
            return skip(schedule, "future", "slot " + slot + " is more than " + FUTURE_TOLERANCE.toMinutes()
                    + " minutes ahead of the service's clock (" + now + "); not executed");
        }
        if (Duration.between(slot, now).compareTo(schedule.catchUpWindow()) > 0) {
            return skip(schedule, "stale", "slot " + slot + " is older than the catch-up window ("
                    + schedule.catchUpWindow() + ") at " + now + "; not executed (a tick delayed that long is not "
                    + "today's snapshot any more; reconcile catches up the newest slot within the window)");
        }
        return snapshots.runSlot(schedule, slot, Optional.empty());
    }

    private Outcome skip(SnapshotSchedule schedule, String reason, String detail) {
        String text = "snapshot policy " + schedule.name() + ": " + detail;
        LOG.warn(text);
        snapshots.count(schedule.name(), reason);
        return Outcome.skipped(text);
    }

    static Optional<Instant> parseSlot(String raw) {
        String t = raw.trim();
        try {
            return Optional.of(Instant.parse(t));
        } catch (DateTimeException e) {
            try {
                return Optional.of(OffsetDateTime.parse(t).toInstant());
            } catch (DateTimeException e2) {
                return Optional.empty();
            }
        }
    }

    private String known() {
        return schedules.isEmpty() ? "none" : String.join(", ", schedules.stream().map(SnapshotSchedule::name).toList());
    }
}
