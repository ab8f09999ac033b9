package io.snapline.message;

import io.snapline.message.SnapshotCreated.Origin;
import io.snapline.message.SnapshotRef.Scope;

import java.util.Map;
import java.util.Optional;

/**
 * AWS Backup's {@code Backup Job State Change} ({@code source: aws.backup}): the authoritative "a
 * recovery point exists" signal (AWS-FACTS §1). Only a COMPLETED job whose recovery point is an RDS
 * snapshot or cluster snapshot matters; some events say {@code status} and
 * {@code createdRecoveryPointArn} rather than {@code state} and {@code recoveryPointArn}.
 *
 * @see <a href="https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html">AWS Backup events</a>
 */
final class BackupJobEvent {

    /** The event id a {@link SnapshotCreated} from a Backup job carries (there is no RDS event id). */
    static final String EVENT_ID = "BACKUP-JOB-COMPLETED";

    private BackupJobEvent() {
    }

    static SnaplineMessage read(EventBridgeEvent ev) {
        String state = ev.detailText("state");
        if (state == null) {
            state = ev.detailText("status");
        }
        if (state == null) {
            return new Malformed("Backup Job State Change has neither 'detail.state' nor 'detail.status'");
        }
        String jobId = ev.detailText("backupJobId");
        String job = jobId == null ? "AWS Backup job" : "AWS Backup job " + Reasons.quote(jobId);
        if (!"COMPLETED".equals(state)) {
            return new Ignored("backup-job", job + " is " + Reasons.quote(state) + "; only COMPLETED creates a snapshot");
        }
        String field = "recoveryPointArn";
        String rp = ev.detailName(field);
        if (rp == null) {
            field = "createdRecoveryPointArn";
            rp = ev.detailName(field);
        }
        if (rp == null) {
            return new Malformed(job + " is COMPLETED but has neither 'detail.recoveryPointArn' nor"
                    + " 'detail.createdRecoveryPointArn'");
        }
        Arn arn = Arn.parse(rp).filter(RdsEvents::isRdsResource).orElse(null);
        Scope scope = arn == null ? null : arn.rdsScope().orElse(null);
        if (scope == null || scope == Scope.CLUSTER) {
            return new Ignored("backup-job", job + " recovery point " + Reasons.quote(rp) + " (detail." + field
                    + ") is not an RDS snapshot");
        }
        SnapshotRef ref = new SnapshotRef(arn.resourceId(), scope, Optional.of(rp),
                Optional.of(arn.region()).filter(r -> !r.isEmpty()));
        return new SnapshotCreated(ref, Origin.AWS_BACKUP, EVENT_ID,
                ev.envelope().timeOf(ev.detailText("completionDate")), Map.of());
    }
}
