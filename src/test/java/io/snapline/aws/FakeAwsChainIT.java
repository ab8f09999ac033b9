package io.snapline.aws;

import io.snapline.fake.FakeAws;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.BatchOperationsGateway.PutAclJobRequest;
import io.snapline.gateway.ExportGateway.ExportRequest;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.Gateways;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fakes working together the way the export pipeline will use them, through the real gateways:
 * a cross-account export lands, its objects get bucket-owner-full-control by a batch job, and the
 * crawler runs once, after the files landed. An example for end-to-end handler tests.
 */
class FakeAwsChainIT {

    private static final String SOURCE_ACCOUNT = "210987654321";
    private static final String SOURCE_ROLE = "arn:aws:iam::210987654321:role/snapline";

    @Test
    void exportLands_aclJobFixesOwnership_crawlerRunsOnceAfterTheFiles() {
        try (FakeAwsFixture env = new FakeAwsFixture()) {
            FakeAws fake = env.fake();
            Gateways gateways = env.gateways();
            AwsAccess source = AwsAccess.assume(SOURCE_ROLE, "ext-1");
            fake.s3().createBucket("lake", FakeAws.ACCOUNT, "BucketOwnerPreferred");
            fake.glue().addCrawler("lake-crawler", "s3://lake/exports/");
            String arn = fake.rds().addDbSnapshot("rds:orders-2026-11-23-03-10", "orders").arn();

            ExportTask task = gateways.exports(source).startExport(new ExportRequest("orders-2026-11-23", arn, "lake",
                    "exports", "arn:aws:iam::210987654321:role/export", "alias/export", List.of())).task();
            fake.rds().completeExport(task.taskId(), SOURCE_ACCOUNT, 3, 2);
            ExportTask done = gateways.exports(source).exportTask(task.taskId()).orElseThrow();

            List<String> keys = new ArrayList<>();
            gateways.objects(AwsAccess.DEFAULT).forEachPage("lake", done.s3Folder(),
                    page -> page.forEach(o -> keys.add(o.key())));
            assertThat(keys).hasSize(7);
            assertThat(fake.s3().objects("lake", done.s3Folder())).allMatch(o -> o.owner().equals(SOURCE_ACCOUNT));

            String jobId = gateways.batchOperations(source).createPutAclJob(new PutAclJobRequest(SOURCE_ACCOUNT, "lake",
                    done.s3Folder(), "arn:aws:iam::210987654321:role/batch", "acl-" + done.taskId(),
                    "exports/_reports/" + done.taskId(), "ACL rewrite"));
            fake.s3Control().runJob(jobId);
            assertThat(gateways.batchOperations(source).describeJob(SOURCE_ACCOUNT, jobId).succeededTasks()).isEqualTo(7);
            assertThat(fake.s3().objects("lake", done.s3Folder()))
                    .allMatch(o -> o.acl().equals("bucket-owner-full-control"));

            gateways.crawlers(AwsAccess.DEFAULT).start("lake-crawler");
            fake.glue().finishCrawl("lake-crawler", "SUCCEEDED");

            assertThat(fake.glue().crawls("lake-crawler")).singleElement()
                    .satisfies(c -> assertThat(c.objects()).hasSize(7)
                            .allMatch(o -> o.startsWith("s3://lake/exports/orders-2026-11-23/")));
            assertThat(fake.sts().assumeRoleCalls()).extracting(c -> c.roleArn()).containsOnly(SOURCE_ROLE);
        }
    }
}
