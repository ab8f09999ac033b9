package io.snapline.config;

import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks every snapshot schedule at start-up (one of the {@link ConfigurationCheck}s): each bad key
 * named with its fix, all at once. What depends on AWS at the slot (a source missing or busy, the
 * quota) is checked when the slot runs, and reported then.
 */
@Singleton
public class SnapshotScheduleValidator implements ConfigurationCheck {

    private final List<SnapshotSchedule> schedules;
    private final SchedulingProperties settings;

    public SnapshotScheduleValidator(List<SnapshotSchedule> schedules, SchedulingProperties settings) {
        this.schedules = schedules;
        this.settings = settings;
    }

    @Override
    public List<String> problems() {
        return problems(schedules, settings);
    }

    public static List<String> problems(List<SnapshotSchedule> schedules, SchedulingProperties settings) {
        List<String> out = new ArrayList<>();
        schedules.forEach(s -> out.addAll(s.problems()));
        if (settings.manualSnapshotQuota() < 1) {
            out.add("snapline.scheduling.manual-snapshot-quota: " + settings.manualSnapshotQuota()
                    + " must be at least 1 (AWS's default is 100)");
        }
        return out;
    }
}
