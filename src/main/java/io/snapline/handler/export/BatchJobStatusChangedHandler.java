package io.snapline.handler.export;

import io.snapline.config.ExportPolicies;
import io.snapline.config.ExportPolicy;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import io.snapline.handler.MessageHandler;
import io.snapline.handler.Outcome;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.OperationRecord;
import io.snapline.message.BatchJobStatusChanged;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * An S3 Batch Operations job changed status. Snapline's ACL jobs are found through the ledger
 * record {@code batchjob#<jobId>} written when the job was created; other jobs are skipped. On a
 * terminal status the export is carried on from its ACL step ({@link ExportPipeline#afterExport}),
 * which reads the job's result with DescribeJob, so a late, repeated or lost event changes nothing:
 * the export's own delayed re-check reaches the same point.
 */
@Singleton
public class BatchJobStatusChangedHandler implements MessageHandler<BatchJobStatusChanged> {

    private final ExportPolicies policies;
    private final Gateways gateways;
    private final Ledger ledger;
    private final ExportPipeline pipeline;

    public BatchJobStatusChangedHandler(ExportPolicies policies, Gateways gateways, Ledger ledger,
                                        ExportPipeline pipeline) {
        this.policies = policies;
        this.gateways = gateways;
        this.ledger = ledger;
        this.pipeline = pipeline;
    }

    @Override
    public Class<BatchJobStatusChanged> messageType() {
        return BatchJobStatusChanged.class;
    }

    @Override
    public Outcome handle(BatchJobStatusChanged event) {
        Optional<String> record = ledger.operation(AclRewriter.batchJobKey(event.jobId()))
                .filter(OperationRecord::completed).flatMap(OperationRecord::result);
        if (record.isEmpty()) {
            return Outcome.skipped("batch job " + event.jobId() + " is not a Snapline ACL job");
        }
        if (!event.terminal()) {
            return Outcome.skipped("batch job " + event.jobId() + " is " + event.status() + "; waiting for a terminal status");
        }
        String[] parts = record.get().split("\\|", 4);
        if (parts.length < 4) {
            return Outcome.skipped("batch job " + event.jobId() + " has an unreadable ledger record: " + record.get());
        }
        Optional<ExportPolicy> policy = policies.byName(parts[0]);
        if (policy.isEmpty()) {
            return Outcome.skipped("batch job " + event.jobId() + " belongs to policy " + parts[0] + ", no longer configured");
        }
        Optional<ExportTask> task = gateways.exports(policy.get().sourceAccess()).exportTask(parts[1]);
        if (task.isEmpty()) {
            return Outcome.skipped("export task " + parts[1] + " of batch job " + event.jobId() + " no longer exists");
        }
        ExportSubject subject = new ExportSubject(policy.get(), parts[1], parts[2],
                ExportTaskIds.identifierFromArn(parts[2]), parts[3]);
        return pipeline.afterExport(subject, task.get());
    }
}
