package io.snapline.aws;

import io.snapline.error.AwsService;
import io.snapline.error.FailureClassifier;
import io.snapline.error.FailureClassifier.Failure;
import io.snapline.fake.FakeAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.model.GetBucketOwnershipControlsRequest;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generic classifier on real SDK errors, as the SDK parses them from the wire (FakeAws renders
 * each protocol's error format): the service's table decides a 4xx, throttling and 5xx are retryable
 * whatever their code, an unknown code is retryable. Also pins the service names the SDK reports,
 * which the classifier uses to pick a table.
 */
class FailureClassifierIT {

    private final FakeAwsFixture env = new FakeAwsFixture();
    private final FakeAws fake = env.fake();
    private final AwsClients clients = env.clients();

    @AfterEach
    void close() {
        env.close();
    }

    private AwsServiceException rdsError(String code, int status) {
        fake.failNext("DescribeExportTasks", code, status);
        return thrown(c -> clients.rds().describeExportTasks(r -> r.exportTaskIdentifier("t")));
    }

    private AwsServiceException thrown(Consumer<Void> call) {
        try {
            call.accept(null);
        } catch (AwsServiceException e) {
            return e;
        }
        throw new AssertionError("no AWS error");
    }

    @Test
    void theSdkNamesEachServiceAsTheTablesExpect() {
        AwsServiceException rds = rdsError("DBSnapshotNotFound", 404);
        fake.failNext("GetBucketOwnershipControls", "AccessDenied", 403);
        AwsServiceException s3 = thrown(c -> clients.s3().getBucketOwnershipControls(
                GetBucketOwnershipControlsRequest.builder().bucket("b").build()));
        fake.failNext("StartCrawler", "EntityNotFoundException", 400);
        AwsServiceException glue = thrown(c -> clients.glue().startCrawler(r -> r.name("c")));
        fake.failNext("DescribeJob", "NotFoundException", 404);
        AwsServiceException s3control = thrown(c -> clients.s3Control().describeJob(r -> r.accountId(FakeAws.ACCOUNT).jobId("j")));

        assertThat(AwsService.ofSdkName(rds.awsErrorDetails().serviceName())).contains(AwsService.RDS);
        assertThat(AwsService.ofSdkName(s3.awsErrorDetails().serviceName())).contains(AwsService.S3);
        assertThat(AwsService.ofSdkName(glue.awsErrorDetails().serviceName())).contains(AwsService.GLUE);
        assertThat(AwsService.ofSdkName(s3control.awsErrorDetails().serviceName())).contains(AwsService.S3_CONTROL);
    }

    @ParameterizedTest(name = "RDS {0} ({1}) -> permanent={2}")
    @CsvSource({
            "InvalidParameterValue, 400, true",
            "IamRoleNotFound, 404, true",
            "DBSnapshotNotFound, 404, true",
            "ExportTaskAlreadyExists, 400, true",
            "InvalidExportSourceState, 400, false",
            "InvalidExportSourceStateFault, 400, false",
            "SomethingNobodyDocumented, 400, false",
            "Throttling, 400, false",
            "InternalFailure, 500, false",
    })
    void anRdsError_isClassifiedByTheRdsTable_throttlingAnd5xxAreRetryable(String code, int status, boolean permanent) {
        // throttling and 5xx are retried by the SDK itself first (up to 4 attempts): inject one per attempt
        for (int i = 0; i < 4; i++) {
            fake.failNext("DescribeExportTasks", code, status);
        }
        Failure failure = FailureClassifier.classify(thrown(c -> clients.rds().describeExportTasks(r -> r.exportTaskIdentifier("t"))));

        assertThat(failure.permanent()).isEqualTo(permanent);
        assertThat(failure.awsErrorCode()).contains(code);
        assertThat(failure.awsRequestId()).isPresent();
    }

    @Test
    void theSameCode_meansWhatItsOwnServiceSays() {
        // "NotFound" is SNS's missing topic (permanent); RDS has no such code (unknown: retryable)
        fake.failNext("Publish", "NotFound", 404);
        AwsServiceException sns = thrown(c -> env.factory().snsClient().publish(r -> r.topicArn("arn:aws:sns:us-east-1:"
                + FakeAws.ACCOUNT + ":gone").message("m")));

        assertThat(FailureClassifier.classify(sns).permanent()).isTrue();
        assertThat(FailureClassifier.classify(rdsError("NotFound", 404)).permanent()).isFalse();
    }

    @ParameterizedTest(name = "RDS {0} ({1}) -> AWS-side and passing={2}")
    @CsvSource({
            "Throttling, 400, true",
            "InternalFailure, 500, true",
            "ServiceUnavailable, 503, true",
            "SomethingNobodyDocumented, 400, false",
            "DBSnapshotNotFound, 404, false",
    })
    void throttlingAnd5xx_areAwsTransient_otherRetryableErrorsAreNot(String code, int status, boolean awsTransient) {
        for (int i = 0; i < 4; i++) {
            fake.failNext("DescribeExportTasks", code, status);
        }
        Failure failure = FailureClassifier.classify(thrown(c -> clients.rds().describeExportTasks(r -> r.exportTaskIdentifier("t"))));

        assertThat(failure.awsTransient()).isEqualTo(awsTransient);
    }

    @Test
    void anErrorAnswerCutOffMidBody_isUnreadable_andSoAwsTransient_notPermanent() {
        // DBSnapshotNotFound (404) would be permanent; half of its body, the connection then dropped, names no code
        fake.faults().dropConnections(1.0);
        Failure cut = FailureClassifier.classify(thrown(c -> clients.rds().describeDBSnapshots(
                r -> r.dbSnapshotIdentifier("no-such-snapshot"))));
        fake.faults().off();

        assertThat(cut.awsErrorCode()).isEmpty();
        assertThat(cut.permanent()).isFalse();
        assertThat(cut.awsTransient()).isTrue();
    }

    @Test
    void aDroppedConnection_isAwsTransient_aBugIsNot() {
        Failure dropped = FailureClassifier.classify(new io.snapline.error.RetryableProcessingException("export step",
                software.amazon.awssdk.core.exception.SdkClientException.create("Unable to execute HTTP request")));
        Failure bug = FailureClassifier.classify(new IllegalStateException("a bug"));

        assertThat(dropped.awsTransient()).isTrue();
        assertThat(bug.permanent()).isFalse();
        assertThat(bug.awsTransient()).isFalse();
    }
}
