package io.snapline.fake;

import io.snapline.aws.AwsClientFactory;
import io.snapline.config.AwsProperties;
import io.snapline.config.QueueProperties;
import io.snapline.config.SnaplineProperties;
import io.snapline.gateway.AwsAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.ExportTaskAlreadyExistsException;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wire details of the fake, checked over raw HTTP and through the real SDK. */
class FakeAwsTest {

    static {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    private final FakeAws fake = new FakeAws();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void tearDown() {
        fake.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder form(String body) {
        return HttpRequest.newBuilder(fake.endpoint().resolve("/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void queryErrors_useErrorResponse_withTypeCodeMessage_andTheStatus() throws Exception {
        var response = send(form("Action=DeleteDBSnapshot&Version=2014-10-31&DBSnapshotIdentifier=nope"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">"
                + "<Error><Type>Sender</Type><Code>DBSnapshotNotFound</Code><Message>");
        assertThat(response.body()).containsPattern("</Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>");
    }

    @Test
    void queryResults_areWrappedInResponseAndResult_withResponseMetadata() throws Exception {
        var response = send(form("Action=DescribeExportTasks&Version=2014-10-31"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("<DescribeExportTasksResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">"
                + "<DescribeExportTasksResult><ExportTasks></ExportTasks></DescribeExportTasksResult>"
                + "<ResponseMetadata><RequestId>");
    }

    @Test
    void glueErrors_carryTheTypeInJson_s3AndS3ControlErrorsTheirXmlRoots() throws Exception {
        var glue = send(HttpRequest.newBuilder(fake.endpoint().resolve("/"))
                .header("X-Amz-Target", "AWSGlue.StartCrawler").header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Name\":\"nope\"}")));
        assertThat(glue.statusCode()).isEqualTo(400);
        assertThat(glue.body()).contains("\"__type\":\"EntityNotFoundException\"");

        var s3 = send(HttpRequest.newBuilder(fake.endpoint().resolve("/no-bucket/key")).GET());
        assertThat(s3.statusCode()).isEqualTo(404);
        assertThat(s3.body()).contains("<Error><Code>NoSuchBucket</Code>");

        var control = send(HttpRequest.newBuilder(fake.endpoint().resolve("/v20180820/jobs/nope"))
                .header("x-amz-account-id", FakeAws.ACCOUNT).GET());
        assertThat(control.statusCode()).isEqualTo(404);
        assertThat(control.body()).contains("<ErrorResponse><Error><Code>NotFoundException</Code>");
    }

    @Test
    void deleteObjects_requiresAChecksumHeader() throws Exception {
        fake.s3().createBucket("b");

        var response = send(HttpRequest.newBuilder(fake.endpoint().resolve("/b?delete"))
                .POST(HttpRequest.BodyPublishers.ofString("<Delete><Object><Key>a</Key></Object></Delete>")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>InvalidRequest</Code>");
    }

    @Test
    void theSdkRaisesModeledExceptions_andFailNextIsOneShotPerCall() {
        var factory = new AwsClientFactory(new SnaplineProperties(false, "us-east-1"),
                new AwsProperties(fake.endpoint().toString()), queue(), Optional.empty());
        try {
            var rds = factory.clientsFor(AwsAccess.DEFAULT).rds();
            fake.failNext("DescribeExportTasks", "ExportTaskAlreadyExists", 400);

            assertThatThrownBy(() -> rds.describeExportTasks(r -> r.maxRecords(20)))
                    .isInstanceOf(ExportTaskAlreadyExistsException.class);
            assertThat(rds.describeExportTasks(r -> r.maxRecords(20)).exportTasks()).isEmpty();
            assertThatThrownBy(() -> rds.deleteDBSnapshot(r -> r.dbSnapshotIdentifier("nope")))
                    .isInstanceOf(DbSnapshotNotFoundException.class)
                    .satisfies(e -> assertThat(((DbSnapshotNotFoundException) e).requestId()).hasSize(36));
        } finally {
            factory.closeAll();
        }
    }

    @Test
    void describeExportTasks_statusFilterIsLowerCase_andMaxRecordsIsChecked() {
        var factory = new AwsClientFactory(new SnaplineProperties(false, "us-east-1"),
                new AwsProperties(fake.endpoint().toString()), queue(), Optional.empty());
        try {
            var rds = factory.clientsFor(AwsAccess.DEFAULT).rds();
            fake.s3().createBucket("exports");
            String arn = fake.rds().addDbSnapshot("orders-manual", "orders").arn();
            rds.startExportTask(r -> r.exportTaskIdentifier("orders-1").sourceArn(arn).s3BucketName("exports")
                    .iamRoleArn("role").kmsKeyId("key"));
            fake.rds().completeExport("orders-1", 1);

            assertThat(rds.describeExportTasks(r -> r.filters(f -> f.name("status").values("complete")))
                    .exportTasks()).hasSize(1);
            assertThat(rds.describeExportTasks(r -> r.filters(f -> f.name("status").values("COMPLETE")))
                    .exportTasks()).isEmpty();
            assertThatThrownBy(() -> rds.describeExportTasks(r -> r.maxRecords(19)))
                    .isInstanceOfSatisfying(software.amazon.awssdk.services.rds.model.RdsException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        } finally {
            factory.closeAll();
        }
    }

    @Test
    void s3PutAndGet_roundTripThroughTheSdk_withTheWritersOwnership() {
        var factory = new AwsClientFactory(new SnaplineProperties(false, "us-east-1"),
                new AwsProperties(fake.endpoint().toString()), queue(), Optional.empty());
        try {
            S3Client s3 = factory.clientsFor(AwsAccess.DEFAULT).s3();
            fake.s3().createBucket("b", "999999999999", "ObjectWriter");

            s3.putObject(r -> r.bucket("b").key("dir/hello.txt"), RequestBody.fromString("hello, fake"));

            assertThat(s3.getObjectAsBytes(r -> r.bucket("b").key("dir/hello.txt")).asUtf8String()).isEqualTo("hello, fake");
            assertThat(fake.s3().object("b", "dir/hello.txt").orElseThrow().owner()).isEqualTo(FakeAws.ACCOUNT);
        } finally {
            factory.closeAll();
        }
    }

    @Test
    void completeExport_writesTheAwsLayout_ownedByTheWriter() throws Exception {
        fake.s3().createBucket("exports", FakeAws.ACCOUNT, "BucketOwnerPreferred");
        String arn = fake.rds().addDbSnapshot("orders-manual", "orders").arn();
        send(form("Action=StartExportTask&Version=2014-10-31&ExportTaskIdentifier=orders-1&SourceArn=" + arn
                + "&S3BucketName=exports&S3Prefix=snapline&IamRoleArn=r&KmsKeyId=k"));

        var keys = fake.rds().completeExport("orders-1", "210987654321", 2, 1);

        assertThat(keys).hasSize(5);
        assertThat(keys).filteredOn(k -> k.endsWith(".gz.parquet")).hasSize(3).allMatch(k -> k.matches(
                "snapline/orders-1/appdb/public\\.table_\\d/1/part-\\d{5}-[0-9a-f-]{36}\\.gz\\.parquet"));
        assertThat(keys).contains("snapline/orders-1/export_info_orders-1.json",
                "snapline/orders-1/export_tables_info_orders-1_from_1_to_2.json");
        assertThat(fake.s3().objects("exports", "snapline/")).allSatisfy(o -> {
            assertThat(o.owner()).isEqualTo("210987654321");
            assertThat(o.acl()).isEqualTo("private");
        });
        var info = FakeAws.JSON.readTree(fake.s3().content("exports", "snapline/orders-1/export_info_orders-1.json"));
        assertThat(info.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(info.get("sourceArn").asText()).isEqualTo(arn);
        var tables = FakeAws.JSON.readTree(
                fake.s3().content("exports", "snapline/orders-1/export_tables_info_orders-1_from_1_to_2.json"));
        assertThat(tables.get("perTableStatus")).hasSize(2);
        assertThat(fake.rds().exportTask("orders-1").orElseThrow().status()).isEqualTo("COMPLETE");
    }

    @Test
    void twoHundredThousandObjects_areCheapToSeed() {
        fake.s3().createBucket("big");

        fake.s3().putObjects("big", "exports/t/", 200_000, 1024, FakeAws.ACCOUNT);

        assertThat(fake.s3().objectCount("big")).isEqualTo(200_000);
    }

    private static QueueProperties queue() {
        return new QueueProperties("https://sqs.us-east-1.amazonaws.com/123456789012/q", null, 2, 64,
                Duration.ofSeconds(20), Optional.empty(), Duration.ofSeconds(10), Duration.ofMinutes(15),
                Duration.ofSeconds(30), 200);
    }
}
