package io.snapline.handler.schedule;

import io.snapline.config.SnapshotSchedule;
import io.snapline.error.PermanentProcessingException;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.Gateways;
import io.snapline.handler.Outcome;
import io.snapline.handler.ReconcileExtension;
import io.snapline.message.Command;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code reconcile}'s catch-up of missed slots (the service was down, a tick was lost): for each
 * schedule, the newest slot at or before now, if it lies within the schedule's {@code catch-up-window},
 * and for each source without a snapshot of that slot's identifier, the snapshot is created late,
 * under the slot's own identifier and step key (so a tick that still arrives later is ALREADY_DONE).
 * Only the newest slot is looked at, so a run makes at most one late snapshot per source. A step
 * that failed permanently stays failed (listed), unless reconcile's {@code retryFailed} redrive is used.
 * {@code dryRun} only lists what is missing.
 */
@Singleton
public class SnapshotCatchUp implements ReconcileExtension {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCatchUp.class);

    private final List<SnapshotSchedule> schedules;
    private final ScheduledSnapshots snapshots;
    private final Gateways gateways;
    private final Clock clock;

    public SnapshotCatchUp(List<SnapshotSchedule> schedules, ScheduledSnapshots snapshots, Gateways gateways, Clock clock) {
        this.schedules = schedules;
        this.snapshots = snapshots;
        this.gateways = gateways;
        this.clock = clock;
    }

    @Override
    public boolean knowsPolicy(String policy) {
        return schedules.stream().anyMatch(s -> s.name().equals(policy));
    }

    @Override
    public String reconcile(Command command) {
        Optional<String> policy = command.arg("policy").map(String::trim).filter(p -> !p.isEmpty());
        boolean dryRun = command.dryRun() || command.arg("dryRun").map(Boolean::parseBoolean).orElse(false);
        Instant now = clock.instant();
        List<String> parts = new ArrayList<>();
        for (SnapshotSchedule s : schedules) {
            if (policy.isPresent() && !policy.get().equals(s.name())) {
                continue;
            }
            Optional<Instant> slot = s.cron().previousSlot(now, s.zone());
            if (slot.isEmpty() || Duration.between(slot.get(), now).compareTo(s.catchUpWindow()) > 0) {
                parts.add(s.name() + ": no slot within the catch-up window (" + s.catchUpWindow() + ")");
                continue;
            }
            List<String> missing = new ArrayList<>();
            var described = gateways.snapshots(AwsAccess.DEFAULT);
            java.util.function.BiPredicate<io.snapline.message.SnapshotRef.Scope, String> isMissing = (scope, id) -> {
                boolean gone = described.describe(scope, id).isEmpty();
                if (gone) {
                    missing.add(id);
                }
                return gone && !dryRun;
            };
            if (dryRun) {
                snapshots.runSlot(s, slot.get(), Optional.of(isMissing));
                parts.add(s.name() + " slot " + slot.get() + ": " + (missing.isEmpty() ? "nothing missing"
                        : "would create late " + String.join(", ", missing)));
                continue;
            }
            try {
                Outcome o = snapshots.runSlot(s, slot.get(), Optional.of(isMissing));
                parts.add(s.name() + " slot " + slot.get() + ": " + (missing.isEmpty() ? "nothing missing"
                        : "late " + String.join(", ", missing) + " → " + o.label() + " (" + o.reason() + ")"));
            } catch (PermanentProcessingException e) {
                parts.add(s.name() + " slot " + slot.get() + ": failed: " + e.getMessage());
            }
        }
        String summary = "snapshot catch-up: " + (parts.isEmpty() ? "no snapshot policy" : String.join("; ", parts));
        LOG.info(summary);
        return summary;
    }
}
