package io.snapline.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapline.message.ExportTaskFinished.Status;
import io.snapline.message.SnapshotCreated.Origin;
import io.snapline.message.SnapshotRef.Scope;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.snapline.message.MessageParserFixturesTest.body;
import static org.assertj.core.api.Assertions.assertThat;

/** One test per parsing decision; the fixture sweep lives in {@link MessageParserFixturesTest}. */
class MessageParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "arn:aws:sns:us-east-2:210987654321:rds-events";
    private final MessageParser parser = new MessageParser();

    // ------------------------------------------------------------------ builders

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** An SNS Notification envelope around {@code message}, as SNS delivers it to SQS. */
    static String sns(String message) {
        return json(map("Type", "Notification", "MessageId", "7c0e2d1a-3b4c-4d5e-8f90-a1b2c3d4e5f6",
                "TopicArn", TOPIC, "Subject", "RDS Notification Message", "Message", message,
                "Timestamp", "2024-05-01T10:15:31.422Z", "SignatureVersion", "1", "Signature", "EXAMPLE"));
    }

    /** An RDS event-subscription message (keys with spaces). */
    static Map<String, Object> rds(String eventSource, String sourceId, String eventId) {
        return map("Event Source", eventSource, "Event Time", "2024-05-01 10:15:30.947",
                "Identifier Link", "https://console.aws.amazon.com/rds/home?region=us-east-2#snapshot:id=" + sourceId,
                "Source ID", sourceId,
                "Event ID", "http://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.html#" + eventId,
                "Event Message", "some text");
    }

    static Map<String, Object> eventBridge(String source, String detailType, Map<String, Object> detail) {
        return map("version", "0", "id", "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9", "detail-type", detailType,
                "source", source, "account", "123456789012", "time", "2024-05-01T10:15:31Z", "region", "us-east-1",
                "resources", List.of(), "detail", detail);
    }

    private SnaplineMessage parse(String body) {
        return parser.parse(body);
    }

    private <T extends SnaplineMessage> T parseAs(Class<T> type, String body) {
        SnaplineMessage m = parse(body);
        assertThat(m).as("parse result").isInstanceOf(type);
        return type.cast(m);
    }

    private String malformedReason(String body) {
        return parseAs(Malformed.class, body).reason();
    }

    // ------------------------------------------------------------------ RDS event subscription via SNS

    @Nested
    class RdsSubscriptionMessages {

        @Test
        void parse_returnsSnapshotCreatedManual_forSnsWrappedRdsEvent0042() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, body("sns/rds-0042-manual-db-snapshot.json"));

            assertThat(m.origin()).isEqualTo(Origin.MANUAL);
            assertThat(m.eventId()).isEqualTo("RDS-EVENT-0042");
            assertThat(m.snapshot()).isEqualTo(new SnapshotRef("orders-before-migration", Scope.DB_SNAPSHOT,
                    Optional.of("arn:aws:rds:us-east-1:123456789012:snapshot:orders-before-migration"), Optional.of("us-east-1")));
            assertThat(m.eventTime()).isEqualTo(Instant.parse("2024-05-01T10:15:30.947Z"));
            assertThat(m.tags()).isEmpty();
        }

        @Test
        void parse_returnsSnapshotCreatedAutomated_forSnsWrappedRdsEvent0091() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, body("sns/rds-0091-automated-db-snapshot.json"));

            assertThat(m.origin()).isEqualTo(Origin.AUTOMATED);
            assertThat(m.snapshot().identifier()).isEqualTo("rds:orders-db-2024-05-01-03-10");
            assertThat(m.snapshot().scope()).isEqualTo(Scope.DB_SNAPSHOT);
        }

        @Test
        void parse_returnsAwsBackupOrigin_forEvent0042WithAwsbackupSourceId() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, body("sns/rds-0042-awsbackup-db-snapshot.json"));

            assertThat(m.origin()).isEqualTo(Origin.AWS_BACKUP);
            assertThat(m.snapshot().identifier()).startsWith("awsbackup:job-");
        }

        @Test
        void parse_returnsManualClusterSnapshot_forEvent0075_andAwsBackupWhenIdIsAwsbackup() {
            SnapshotCreated manual = parseAs(SnapshotCreated.class, body("sns/rds-0075-manual-cluster-snapshot.json"));
            SnapshotCreated backup = parseAs(SnapshotCreated.class,
                    sns(json(rds("db-cluster-snapshot", "awsbackup:job-1234", "RDS-EVENT-0075"))));

            assertThat(manual.origin()).isEqualTo(Origin.MANUAL);
            assertThat(manual.snapshot().scope()).isEqualTo(Scope.CLUSTER_SNAPSHOT);
            assertThat(backup.origin()).isEqualTo(Origin.AWS_BACKUP);
            assertThat(backup.snapshot().arn()).contains("arn:aws:rds:us-east-2:210987654321:cluster-snapshot:awsbackup:job-1234");
        }

        @Test
        void parse_returnsAutomatedClusterSnapshot_forAwsFactsExample0169() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, body("sns/rds-0169-automated-cluster-snapshot.json"));

            assertThat(m.origin()).isEqualTo(Origin.AUTOMATED);
            assertThat(m.snapshot()).isEqualTo(new SnapshotRef("db-instance-aurora", Scope.CLUSTER_SNAPSHOT,
                    Optional.of("arn:aws:rds:us-east-2:123456789012:cluster-snapshot:db-instance-aurora"), Optional.of("us-east-2")));
            assertThat(m.eventTime()).isEqualTo(Instant.parse("2021-11-07T17:43:51.876Z"));
        }

        @Test
        void parse_returnsCopyOrigin_forFinishedCopy0060_andAwsBackupFor0197WithAwsbackupId() {
            SnapshotCreated copy = parseAs(SnapshotCreated.class, body("sns/rds-0060-cross-region-copy.json"));
            SnapshotCreated backupCopy = parseAs(SnapshotCreated.class, body("sns/rds-0197-awsbackup-copy.json"));
            SnapshotCreated plainCopy = parseAs(SnapshotCreated.class, sns(json(rds("db-snapshot", "my-copy", "RDS-EVENT-0197"))));

            assertThat(copy.origin()).isEqualTo(Origin.COPY);
            assertThat(backupCopy.origin()).isEqualTo(Origin.AWS_BACKUP);
            assertThat(plainCopy.origin()).isEqualTo(Origin.COPY);
        }

        @Test
        void parse_returnsSnapshotCopyCanceled_for0061_namingTheTargetInTheDestinationRegion() {
            SnapshotCopyCanceled canceled = parseAs(SnapshotCopyCanceled.class,
                    body("sns/rds-0061-cross-region-copy-canceled.json"));
            SnapshotCopyCanceled sameRegion = parseAs(SnapshotCopyCanceled.class,
                    sns(json(rds("db-cluster-snapshot", "aurora-copy", "RDS-EVENT-0190"))));

            assertThat(canceled.eventId()).isEqualTo("RDS-EVENT-0061");
            assertThat(canceled.target().identifier()).isEqualTo("orders-dr-copy-2024-05-04");
            assertThat(canceled.target().arn()).contains("arn:aws:rds:us-west-2:123456789012:snapshot:orders-dr-copy-2024-05-04");
            assertThat(canceled.target().scope()).isEqualTo(SnapshotRef.Scope.DB_SNAPSHOT);
            assertThat(sameRegion.target().scope()).isEqualTo(SnapshotRef.Scope.CLUSTER_SNAPSHOT);
        }

        @Test
        void parse_takesCopyScopeFromEventSource_whenCopyEventHasNoArn() {
            SnapshotCreated m = parseAs(SnapshotCreated.class,
                    sns(json(rds("db-cluster-snapshot", "aurora-copy", "RDS-EVENT-0197"))));

            assertThat(m.snapshot().scope()).isEqualTo(Scope.CLUSTER_SNAPSHOT);
            assertThat(m.snapshot().arn()).contains("arn:aws:rds:us-east-2:210987654321:cluster-snapshot:aurora-copy");
        }

        @Test
        void parse_takesScopeFromSourceArn_whenArnNamesAClusterSnapshot() {
            Map<String, Object> m = rds("db-snapshot", "awsbackup:job-77", "RDS-EVENT-0042");
            m.put("Source ARN", "arn:aws:rds:us-east-2:210987654321:cluster-snapshot:awsbackup:job-77");

            SnapshotCreated created = parseAs(SnapshotCreated.class, sns(json(m)));

            assertThat(created.snapshot().scope()).isEqualTo(Scope.CLUSTER_SNAPSHOT);
            assertThat(created.origin()).isEqualTo(Origin.AWS_BACKUP);
        }

        @ParameterizedTest
        @ValueSource(strings = {"RDS-EVENT-0040", "RDS-EVENT-0090", "RDS-EVENT-0074", "RDS-EVENT-0168",
                "RDS-EVENT-0059", "RDS-EVENT-0196"})
        void parse_returnsIgnoredSnapshotCreating_forEachCreatingEventId(String eventId) {
            Ignored m = parseAs(Ignored.class, sns(json(rds("db-snapshot", "orders-snap", eventId))));

            assertThat(m.what()).isEqualTo("snapshot-creating");
            assertThat(m.reason()).contains(eventId).contains("orders-snap");
        }

        @ParameterizedTest
        @CsvSource({
                "RDS-EVENT-0159, FAILED,    DB_SNAPSHOT,      db-snapshot,         snapshot",
                "RDS-EVENT-0160, CANCELED,  DB_SNAPSHOT,      db-snapshot,         snapshot",
                "RDS-EVENT-0161, COMPLETED, DB_SNAPSHOT,      db-snapshot,         snapshot",
                "RDS-EVENT-0162, FAILED,    CLUSTER_SNAPSHOT, db-cluster-snapshot, cluster-snapshot",
                "RDS-EVENT-0163, CANCELED,  CLUSTER_SNAPSHOT, db-cluster-snapshot, cluster-snapshot",
                "RDS-EVENT-0164, COMPLETED, CLUSTER_SNAPSHOT, db-cluster-snapshot, cluster-snapshot",
                "RDS-EVENT-0234, FAILED,    CLUSTER,          db-cluster,          cluster",
                "RDS-EVENT-0235, CANCELED,  CLUSTER,          db-cluster,          cluster",
                "RDS-EVENT-0236, COMPLETED, CLUSTER,          db-cluster,          cluster"})
        void parse_returnsExportTaskFinished_forEachTerminalExportEventId(String eventId, Status status, Scope scope,
                                                                           String eventSource, String arnType) {
            ExportTaskFinished m = parseAs(ExportTaskFinished.class, sns(json(rds(eventSource, "src-1", eventId))));

            assertThat(m.status()).isEqualTo(status);
            assertThat(m.eventId()).isEqualTo(eventId);
            assertThat(m.source().scope()).isEqualTo(scope);
            assertThat(m.source().arn()).contains("arn:aws:rds:us-east-2:210987654321:" + arnType + ":src-1");
        }

        @Test
        void parse_returnsIgnoredRdsEvent_forAnEventIdSnaplineDoesNotActOn() {
            Ignored m = parseAs(Ignored.class, sns(json(rds("db-snapshot", "old-snap", "RDS-EVENT-0041"))));

            assertThat(m.what()).isEqualTo("rds-event");
            assertThat(m.reason()).isEqualTo("RDS-EVENT-0041 is not one Snapline acts on");
        }

        @Test
        void parse_doesNotAliasKnownIds_whenEventIdHasMoreThanFourDigits() {
            Ignored m = parseAs(Ignored.class, sns(json(rds("db-snapshot", "s", "RDS-EVENT-00421"))));

            assertThat(m.reason()).startsWith("RDS-EVENT-00421 ");
        }

        @Test
        void parse_buildsArnFromTopicAccountAndLinkRegion_whenSourceArnIsMissing() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, body("sns/rds-0042-2018-no-source-arn.json"));

            assertThat(m.snapshot().arn()).contains("arn:aws:rds:eu-west-1:111122223333:snapshot:legacy-manual-snap");
            assertThat(m.snapshot().region()).contains("eu-west-1");
            assertThat(m.eventId()).isEqualTo("RDS-EVENT-0042");
        }

        @Test
        void parse_takesRegionFromTopicArn_whenLinkHasNoRegion() {
            Map<String, Object> m = rds("db-snapshot", "snap-a", "RDS-EVENT-0042");
            m.remove("Identifier Link");

            SnapshotCreated created = parseAs(SnapshotCreated.class, sns(json(m)));

            assertThat(created.snapshot().region()).contains("us-east-2");
            assertThat(created.snapshot().arn()).contains("arn:aws:rds:us-east-2:210987654321:snapshot:snap-a");
        }

        @Test
        void parse_usesTopicPartitionAndRegion_whenBuildingArnInChina() {
            Map<String, Object> m = rds("db-snapshot", "snap-cn", "RDS-EVENT-0042");
            m.remove("Identifier Link");
            String body = json(map("Type", "Notification", "MessageId", "m-1",
                    "TopicArn", "arn:aws-cn:sns:cn-north-1:210987654321:rds-events",
                    "Message", json(m), "Timestamp", "2024-05-01T10:15:31.422Z"));

            SnapshotCreated created = parseAs(SnapshotCreated.class, body);

            assertThat(created.snapshot().arn()).contains("arn:aws-cn:rds:cn-north-1:210987654321:snapshot:snap-cn");
        }

        @Test
        void parse_leavesArnEmptyAndKeysByIdentifier_whenRawDeliveredEventLacksSourceArn() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, body("raw/rds-0091-no-source-arn.json"));

            assertThat(m.snapshot().arn()).isEmpty();
            assertThat(m.snapshot().region()).contains("ap-southeast-2");
            assertThat(m.key()).isEqualTo("rds:payments-2019-03-02-04-05");
        }

        @Test
        void parse_returnsSameMessage_forRawDeliveryAndSnsDeliveryOfOneEvent() {
            SnaplineMessage raw = parse(body("raw/rds-0042-manual-db-snapshot.json"));
            SnaplineMessage viaSns = parse(body("sns/rds-0042-manual-db-snapshot.json"));

            assertThat(raw).isEqualTo(viaSns);
        }

        @Test
        void parse_readsTagsObject_whenRdsAddsTags() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, body("sns/rds-0091-with-tags.json"));

            assertThat(m.tags()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("env", "prod", "team", "billing", "snapline:policy", "daily"));
        }

        @Test
        void parse_readsTagList_andDropsUnusableTagValues() {
            Map<String, Object> m = rds("db-snapshot", "s", "RDS-EVENT-0042");
            m.put("Tags", List.of(map("Key", "env", "Value", "prod"), map("Key", "bad", "Value", List.of(1))));

            SnapshotCreated created = parseAs(SnapshotCreated.class, sns(json(m)));

            assertThat(created.tags()).containsExactlyEntriesOf(Map.of("env", "prod"));
        }

        @Test
        void parse_acceptsIsoEventTime() {
            Map<String, Object> m = rds("db-snapshot", "s", "RDS-EVENT-0042");
            m.put("Event Time", "2024-05-01T10:15:30.9+02:00");

            assertThat(parseAs(SnapshotCreated.class, sns(json(m))).eventTime())
                    .isEqualTo(Instant.parse("2024-05-01T08:15:30.900Z"));
        }

        @Test
        void parse_fallsBackToSnsTimestamp_whenEventTimeIsUnparseable() {
            Map<String, Object> m = rds("db-snapshot", "s", "RDS-EVENT-0042");
            m.put("Event Time", "Wed May 1 10:15:30 2024");

            assertThat(parseAs(SnapshotCreated.class, sns(json(m))).eventTime())
                    .isEqualTo(Instant.parse("2024-05-01T10:15:31.422Z"));
        }

        @Test
        void parse_usesEpoch_whenRawEventHasNoTimeAtAll() {
            Map<String, Object> m = rds("db-snapshot", "s", "RDS-EVENT-0042");
            m.remove("Event Time");

            assertThat(parseAs(SnapshotCreated.class, json(m)).eventTime()).isEqualTo(Instant.EPOCH);
        }

        @Test
        void parse_returnsMalformedNamingField_whenEventIdIsANumber() {
            assertThat(malformedReason(body("malformed/event-id-number.json")))
                    .contains("'Event ID'").contains("a number");
        }

        @Test
        void parse_returnsMalformed_whenEventIdHoldsNoRdsEventId() {
            Map<String, Object> m = rds("db-snapshot", "s", "RDS-EVENT-0042");
            m.put("Event ID", "http://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.html");

            assertThat(malformedReason(sns(json(m)))).contains("'Event ID'").contains("no RDS-EVENT-nnnn");
        }

        @Test
        void parse_returnsMalformed_whenRdsEventHasNoEventId() {
            Map<String, Object> m = rds("db-snapshot", "s", "RDS-EVENT-0042");
            m.remove("Event ID");

            assertThat(malformedReason(sns(json(m)))).contains("no 'Event ID'");
        }

        @Test
        void parse_returnsMalformed_whenSourceArnIsNotAnRdsArn() {
            Map<String, Object> m = rds("db-snapshot", "s", "RDS-EVENT-0042");
            m.put("Source ARN", "not-an-arn");

            assertThat(malformedReason(sns(json(m)))).contains("'Source ARN'").contains("not an RDS resource ARN");
        }

        @Test
        void parse_takesIdentifierFromArn_whenSourceIdIsMissing() {
            Map<String, Object> m = rds("db-snapshot", "x", "RDS-EVENT-0091");
            m.remove("Source ID");
            m.put("Source ARN", "arn:aws:rds:us-east-2:210987654321:snapshot:rds:db-2024-01-01-00-00");

            assertThat(parseAs(SnapshotCreated.class, sns(json(m))).snapshot().identifier())
                    .isEqualTo("rds:db-2024-01-01-00-00");
        }
    }

    // ------------------------------------------------------------------ SNS envelope specifics

    @Nested
    class SnsEnvelope {

        @Test
        void parse_returnsIgnoredSubscriptionNotice_forPlainTextFirstMessage_inSnsAndRaw() {
            Ignored viaSns = parseAs(Ignored.class, body("sns/rds-subscription-notice.json"));
            Ignored raw = parseAs(Ignored.class, body("raw/rds-subscription-notice.txt"));

            assertThat(viaSns.what()).isEqualTo("rds-subscription-notice");
            assertThat(raw.what()).isEqualTo("rds-subscription-notice");
        }

        @Test
        void parse_returnsMalformedNamingProblem_forOtherPlainTextMessage() {
            assertThat(malformedReason(sns("Hello from a human"))).contains("'Message' is not valid JSON");
        }

        @Test
        void parse_returnsMalformed_whenMessageIsAnObjectOrMissingOrEmpty() {
            assertThat(malformedReason(body("malformed/sns-message-object.json"))).contains("'Message' is an object");
            assertThat(malformedReason(json(map("Type", "Notification", "TopicArn", TOPIC)))).contains("no 'Message'");
            assertThat(malformedReason(sns("  "))).contains("'Message' is empty");
        }

        @Test
        void parse_returnsMalformed_whenMessageHoldsAJsonArray() {
            assertThat(malformedReason(sns("[1,2]"))).contains("holds an array");
        }

        @Test
        void parse_returnsIgnoredWithSubscribeUrl_forSubscriptionConfirmation() {
            Ignored m = parseAs(Ignored.class, body("sns/subscription-confirmation.json"));

            assertThat(m.what()).isEqualTo("sns-subscription-confirmation");
            assertThat(m.reason()).contains("https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=");
        }

        @Test
        void parse_returnsIgnoredWithSubscribeUrl_forUnsubscribeConfirmation() {
            Ignored m = parseAs(Ignored.class, body("sns/unsubscribe-confirmation.json"));

            assertThat(m.what()).isEqualTo("sns-unsubscribe-confirmation");
            assertThat(m.reason()).contains("SubscribeURL 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription");
        }

        @Test
        void parse_returnsIgnoredUnrecognised_forUnknownSnsType() {
            Ignored m = parseAs(Ignored.class, json(map("Type", "Mystery", "TopicArn", TOPIC, "Message", "{}")));

            assertThat(m.what()).isEqualTo("unrecognised");
            assertThat(m.reason()).contains("'Mystery'");
        }

        @Test
        void parse_returnsIgnoredUnrecognised_forSnsEnvelopeInsideSnsEnvelope() {
            Ignored m = parseAs(Ignored.class, sns(sns("{}")));

            assertThat(m.what()).isEqualTo("unrecognised");
            assertThat(m.reason()).contains("inside an SNS envelope");
        }

        @Test
        void parse_returnsSameMessage_forBareAndSnsWrappedEventBridgeEvents() {
            for (String name : List.of("rds-db-snapshot-0042.json", "rds-cluster-snapshot-no-eventid.json",
                    "rds-export-0161.json", "backup-job-completed.json", "s3-batch-job-complete.json",
                    "glue-crawler-succeeded.json", "custom-command-prune.json")) {
                assertThat(parse(body("sns/eventbridge-" + name))).as(name).isEqualTo(parse(body("eventbridge/" + name)));
            }
        }
    }

    // ------------------------------------------------------------------ EventBridge

    @Nested
    class EventBridgeEvents {

        Map<String, Object> rdsDetail(String sourceType, String id, String eventId, String message) {
            Map<String, Object> d = map("EventCategories", List.of("backup"), "SourceType", sourceType,
                    "Date", "2024-05-02T06:34:13.882Z", "SourceIdentifier", id, "Message", message);
            if (eventId != null) {
                d.put("EventID", eventId);
            }
            return d;
        }

        @Test
        void parse_returnsSnapshotCreatedManual_forEventBridgeDbSnapshotEvent0042() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, body("eventbridge/rds-db-snapshot-0042.json"));

            assertThat(m.origin()).isEqualTo(Origin.MANUAL);
            assertThat(m.eventId()).isEqualTo("RDS-EVENT-0042");
            assertThat(m.snapshot().arn()).contains("arn:aws:rds:us-east-1:123456789012:snapshot:orders-before-migration");
            assertThat(m.eventTime()).isEqualTo(Instant.parse("2024-05-01T10:15:30.947Z"));
            assertThat(m.tags()).containsEntry("team", "orders");
        }

        @Test
        void parse_buildsArnFromEnvelopeAccountAndRegion_whenDetailHasNoArnAndNoResources() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, json(eventBridge("aws.rds", "RDS DB Snapshot Event",
                    rdsDetail("SNAPSHOT", "rds:db-1-2024", "RDS-EVENT-0091", "Automated snapshot created"))));

            assertThat(m.snapshot().arn()).contains("arn:aws:rds:us-east-1:123456789012:snapshot:rds:db-1-2024");
            assertThat(m.origin()).isEqualTo(Origin.AUTOMATED);
        }

        @Test
        void parse_infersAutomatedClusterSnapshot_fromMessageText_whenClusterSnapshotEventLacksEventId() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, body("eventbridge/rds-cluster-snapshot-no-eventid.json"));

            assertThat(m.origin()).isEqualTo(Origin.AUTOMATED);
            assertThat(m.snapshot().scope()).isEqualTo(Scope.CLUSTER_SNAPSHOT);
            assertThat(m.eventId()).isEqualTo("RDS-EVENT-0169");
        }

        @Test
        void parse_infersManualClusterSnapshot_caseInsensitively_whenEventIdIsMissing() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, json(eventBridge("aws.rds", "RDS DB Cluster Snapshot Event",
                    rdsDetail("CLUSTER_SNAPSHOT", "pre-upgrade", null, "MANUAL cluster snapshot CREATED"))));

            assertThat(m.origin()).isEqualTo(Origin.MANUAL);
            assertThat(m.eventId()).isEqualTo("RDS-EVENT-0075");
        }

        @Test
        void parse_returnsIgnoredCreating_forCreatingClusterSnapshotTextWithoutEventId() {
            Ignored m = parseAs(Ignored.class, json(eventBridge("aws.rds", "RDS DB Cluster Snapshot Event",
                    rdsDetail("CLUSTER_SNAPSHOT", "pre-upgrade", null, "Creating automated cluster snapshot"))));

            assertThat(m.what()).isEqualTo("snapshot-creating");
        }

        @Test
        void parse_returnsIgnoredRdsEvent_forOtherClusterSnapshotTextWithoutEventId() {
            Ignored m = parseAs(Ignored.class, json(eventBridge("aws.rds", "RDS DB Cluster Snapshot Event",
                    rdsDetail("CLUSTER_SNAPSHOT", "pre-upgrade", null, "Deleted cluster snapshot"))));

            assertThat(m.what()).isEqualTo("rds-event");
            assertThat(m.reason()).contains("'Deleted cluster snapshot'");
        }

        @Test
        void parse_returnsIgnoredRdsEvent_forDbSnapshotEventWithoutEventId() {
            Ignored m = parseAs(Ignored.class, json(eventBridge("aws.rds", "RDS DB Snapshot Event",
                    rdsDetail("SNAPSHOT", "s", null, "Manual snapshot created"))));

            assertThat(m.what()).isEqualTo("rds-event");
        }

        @Test
        void parse_returnsExportTaskFinished_forEventBridgeExport0161() {
            ExportTaskFinished m = parseAs(ExportTaskFinished.class, body("eventbridge/rds-export-0161.json"));

            assertThat(m.status()).isEqualTo(Status.COMPLETED);
            assertThat(m.source().scope()).isEqualTo(Scope.DB_SNAPSHOT);
        }

        @Test
        void parse_takesCopyScopeFromDetailSourceType() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, json(eventBridge("aws.rds", "RDS DB Cluster Snapshot Event",
                    rdsDetail("CLUSTER_SNAPSHOT", "copy-1", "RDS-EVENT-0197", "Finished copy"))));

            assertThat(m.snapshot().scope()).isEqualTo(Scope.CLUSTER_SNAPSHOT);
            assertThat(m.origin()).isEqualTo(Origin.COPY);
        }

        @Test
        void parse_returnsMalformedNamingField_whenDetailEventIdIsANumber() {
            Map<String, Object> d = rdsDetail("SNAPSHOT", "s", null, "x");
            d.put("EventID", 42);

            assertThat(malformedReason(json(eventBridge("aws.rds", "RDS DB Snapshot Event", d))))
                    .contains("'detail.EventID'").contains("a number");
        }

        @Test
        void parse_returnsMalformed_whenDetailIsNotAnObjectOrMissing() {
            Map<String, Object> ev = eventBridge("aws.rds", "RDS DB Snapshot Event", map());
            ev.put("detail", "oops");
            Map<String, Object> noDetail = eventBridge("aws.rds", "RDS DB Snapshot Event", map());
            noDetail.remove("detail");

            assertThat(malformedReason(json(ev))).contains("'detail' is a string");
            assertThat(malformedReason(json(noDetail))).contains("has no 'detail'");
        }

        @Test
        void parse_returnsSnapshotCreatedAwsBackup_forBackupJobCompleted() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, body("eventbridge/backup-job-completed.json"));

            assertThat(m.origin()).isEqualTo(Origin.AWS_BACKUP);
            assertThat(m.eventId()).isEqualTo("BACKUP-JOB-COMPLETED");
            assertThat(m.snapshot().identifier()).isEqualTo("awsbackup:job-8a7c6b5d-4e3f-4a1b-9c0d-e1f2a3b4c5d6");
            assertThat(m.snapshot().region()).contains("us-east-1");
        }

        @Test
        void parse_readsStatusAndCreatedRecoveryPointArn_whenBackupEventUsesThoseNames() {
            SnapshotCreated m = parseAs(SnapshotCreated.class, json(eventBridge("aws.backup", "Backup Job State Change",
                    map("status", "COMPLETED", "createdRecoveryPointArn",
                            "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:awsbackup:job-42"))));

            assertThat(m.snapshot().scope()).isEqualTo(Scope.CLUSTER_SNAPSHOT);
            assertThat(m.key()).isEqualTo("arn:aws:rds:us-east-1:123456789012:cluster-snapshot:awsbackup:job-42");
        }

        @Test
        void parse_returnsIgnoredBackupJob_forOtherStatesAndNonRdsRecoveryPoints() {
            Ignored running = parseAs(Ignored.class, body("eventbridge/backup-job-running.json"));
            Ignored ebs = parseAs(Ignored.class, json(eventBridge("aws.backup", "Backup Job State Change",
                    map("state", "COMPLETED", "recoveryPointArn", "arn:aws:ec2:us-east-1::snapshot/snap-0abc"))));

            assertThat(running.what()).isEqualTo("backup-job");
            assertThat(ebs.what()).isEqualTo("backup-job");
            assertThat(ebs.reason()).contains("is not an RDS snapshot");
        }

        @Test
        void parse_returnsMalformed_whenCompletedBackupJobHasNoRecoveryPoint() {
            assertThat(malformedReason(json(eventBridge("aws.backup", "Backup Job State Change", map("state", "COMPLETED")))))
                    .contains("'detail.recoveryPointArn'");
        }

        @Test
        void parse_returnsBatchJobStatusChanged_forS3CloudTrailJobEvent() {
            BatchJobStatusChanged m = parseAs(BatchJobStatusChanged.class, body("eventbridge/s3-batch-job-complete.json"));

            assertThat(m.jobId()).isEqualTo("d6e58ec4-897a-4b6d-975f-10d7f0fb63ce");
            assertThat(m.status()).isEqualTo("Complete");
            assertThat(m.terminal()).isTrue();
            assertThat(m.accountId()).contains("123456789012");
            assertThat(m.failureCodes()).isEmpty();
            assertThat(m.eventTime()).isEqualTo(Instant.parse("2024-05-01T05:20:49Z"));
        }

        @Test
        void parse_readsFailureCodes_forFailedBatchJob_andAcceptsJobCreated() {
            BatchJobStatusChanged failed = parseAs(BatchJobStatusChanged.class, json(eventBridge("aws.s3",
                    "AWS Service Event via CloudTrail", map("eventName", "JobStatusChanged", "serviceEventDetails",
                            map("jobId", "j-1", "status", "Failed", "failureCodes", List.of("AccessDenied"))))));
            BatchJobStatusChanged created = parseAs(BatchJobStatusChanged.class, json(eventBridge("aws.s3",
                    "AWS Service Event via CloudTrail", map("eventName", "JobCreated", "serviceEventDetails",
                            map("jobId", "j-2", "status", "New")))));

            assertThat(failed.failureCodes()).containsExactly("AccessDenied");
            assertThat(created.status()).isEqualTo("New");
            assertThat(created.terminal()).isFalse();
        }

        @Test
        void parse_returnsIgnored_forOtherS3CloudTrailEvents() {
            Ignored m = parseAs(Ignored.class, json(eventBridge("aws.s3", "AWS Service Event via CloudTrail",
                    map("eventName", "PutBucketPolicy"))));

            assertThat(m.what()).isEqualTo("s3-event");
        }

        @Test
        void parse_returnsMalformed_whenS3JobEventLacksServiceEventDetailsOrJobId() {
            assertThat(malformedReason(json(eventBridge("aws.s3", "AWS Service Event via CloudTrail",
                    map("eventName", "JobStatusChanged"))))).contains("'detail.serviceEventDetails' is missing");
            assertThat(malformedReason(json(eventBridge("aws.s3", "AWS Service Event via CloudTrail",
                    map("eventName", "JobStatusChanged", "serviceEventDetails", map("status", "Complete"))))))
                    .contains("'detail.serviceEventDetails.jobId' is missing");
        }

        @Test
        void parse_returnsCrawlerStateChanged_forGlueCrawlerSucceeded() {
            CrawlerStateChanged m = parseAs(CrawlerStateChanged.class, body("eventbridge/glue-crawler-succeeded.json"));

            assertThat(m.crawlerName()).isEqualTo("snapline-orders-exports");
            assertThat(m.state()).isEqualTo("Succeeded");
            assertThat(m.message()).contains("Crawler Succeeded");
            assertThat(m.eventTime()).isEqualTo(Instant.parse("2024-05-01T05:48:00Z"));
        }

        @Test
        void parse_prefersErrorMessage_forFailedCrawler_andRejectsMissingName() {
            CrawlerStateChanged failed = parseAs(CrawlerStateChanged.class, json(eventBridge("aws.glue",
                    "Glue Crawler State Change", map("crawlerName", "c", "state", "Failed",
                            "message", "Crawler Failed", "errorMessage", "Access denied to s3://bucket"))));

            assertThat(failed.message()).contains("Access denied to s3://bucket");
            assertThat(malformedReason(json(eventBridge("aws.glue", "Glue Crawler State Change", map("state", "Started")))))
                    .contains("'detail.crawlerName' is missing");
        }

        @Test
        void parse_returnsIgnoredScheduledEvent_forScheduledEventWithoutCommand() {
            assertThat(parseAs(Ignored.class, body("eventbridge/scheduled-event.json")).what()).isEqualTo("scheduled-event");
        }

        @Test
        void parse_returnsCommand_forCustomSourceEventWithCommandDetail() {
            Command m = parseAs(Command.class, body("eventbridge/custom-command-prune.json"));

            assertThat(m.name()).isEqualTo("prune");
            assertThat(m.requestId()).contains("nightly-prune-2024-05-01");
            assertThat(m.args()).containsExactlyInAnyOrderEntriesOf(Map.of("source", "orders-*", "policy", "daily"));
        }

        @Test
        void parse_namesDetailField_whenCustomEventCommandIsMalformed() {
            assertThat(malformedReason(json(eventBridge("snapline.ops", "Snapline Command",
                    map("command", "prune", "dryRun", "yes"))))).contains("'detail.dryRun'");
        }

        @Test
        void parse_doesNotTreatAwsServiceDetailAsCommand() {
            Ignored m = parseAs(Ignored.class, json(eventBridge("aws.glue", "Glue Job State Change",
                    map("command", "prune"))));

            assertThat(m.what()).isEqualTo("unrecognised");
        }

        @Test
        void parse_returnsIgnoredUnrecognised_forUnknownEventBridgeSource() {
            Ignored m = parseAs(Ignored.class, json(eventBridge("aws.ec2", "EC2 Instance State-change Notification",
                    map("state", "running"))));

            assertThat(m.what()).isEqualTo("unrecognised");
            assertThat(m.reason()).contains("'aws.ec2'").contains("'EC2 Instance State-change Notification'");
        }
    }

    // ------------------------------------------------------------------ commands

    @Nested
    class Commands {

        @Test
        void parse_returnsCommandWithArgsDryRunAndRequestId_forPrune() {
            Command m = parseAs(Command.class, body("raw/command-prune-dry-run.json"));

            assertThat(m.name()).isEqualTo("prune");
            assertThat(m.dryRun()).isTrue();
            assertThat(m.requestId()).contains("ops-2024-05-01-prune-1");
            assertThat(m.args()).containsExactlyInAnyOrderEntriesOf(Map.of("source", "orders-*", "policy", "daily"));
            assertThat(m.key()).isEqualTo("prune#ops-2024-05-01-prune-1");
        }

        @Test
        void parse_turnsNumbersAndBooleansIntoStringArgs_andDefaultsDryRunToFalse() {
            Command m = parseAs(Command.class, json(map("command", "reconcile", "sinceHours", 48, "ratio", 0.5,
                    "deep", true)));

            assertThat(m.dryRun()).isFalse();
            assertThat(m.requestId()).isEmpty();
            assertThat(m.args()).containsExactlyInAnyOrderEntriesOf(Map.of("sinceHours", "48", "ratio", "0.5", "deep", "true"));
        }

        @Test
        void parse_returnsCommand_forSnsWrappedCommand() {
            Command m = parseAs(Command.class, body("sns/command-prune.json"));

            assertThat(m.args()).containsEntry("keepLast", "7");
            assertThat(m.dryRun()).isTrue();
        }

        @Test
        void parse_acceptsUnknownCommandNames_leavingThatToTheCommandHandler() {
            assertThat(parseAs(Command.class, json(map("command", "frobnicate-2"))).name()).isEqualTo("frobnicate-2");
        }

        @Test
        void parse_treatsNullValuesAsAbsent() {
            Command m = parseAs(Command.class, json(map("command", "prune", "dryRun", null, "requestId", null, "source", null)));

            assertThat(m.dryRun()).isFalse();
            assertThat(m.requestId()).isEmpty();
            assertThat(m.args()).isEmpty();
        }

        @Test
        void parse_returnsMalformedNamingDryRun_whenDryRunIsNotBoolean() {
            assertThat(malformedReason(body("malformed/command-dry-run-yes.json"))).contains("'dryRun'").contains("'yes'");
            assertThat(malformedReason(json(map("command", "prune", "dryRun", 1)))).contains("'dryRun' is a number");
        }

        @Test
        void parse_returnsMalformedNamingRequestId_whenRequestIdIsNotAString() {
            assertThat(malformedReason(json(map("command", "prune", "requestId", 17)))).contains("'requestId' is a number");
            assertThat(malformedReason(json(map("command", "prune", "requestId", " ")))).contains("'requestId'");
        }

        @Test
        void parse_returnsMalformedNamingField_forNestedObjectOrArrayArgument() {
            assertThat(malformedReason(body("malformed/command-nested-argument.json"))).contains("'source' is an object");
            assertThat(malformedReason(json(map("command", "prune", "sources", List.of("a", "b")))))
                    .contains("'sources' is an array");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "Prune", "1prune", "prune now", "prune_all", "-prune", "prüne"})
        void parse_returnsMalformedNamingCommand_forBadCommandNames(String name) {
            assertThat(malformedReason(json(map("command", name)))).contains("'command'");
        }

        @Test
        void parse_returnsMalformedNamingCommand_whenCommandIsNotAString() {
            assertThat(malformedReason(json(map("command", 5)))).contains("'command' is a number");
            assertThat(malformedReason(json(map("command", null)))).contains("'command' is JSON null");
        }
    }

    // ------------------------------------------------------------------ hostile and odd bodies

    @Nested
    class HostileBodies {

        @Test
        void parse_returnsMalformed_forNullEmptyAndBlankBodies() {
            assertThat(malformedReason(null)).isEqualTo("body is null");
            assertThat(malformedReason("")).isEqualTo("body is empty");
            assertThat(malformedReason(" \n\t ")).isEqualTo("body is empty");
        }

        @Test
        void parse_returnsMalformedWithoutParsing_forBodyOverOneMebibyte() {
            String big = "{\"command\":\"prune\",\"pad\":\"" + "x".repeat(MessageParser.MAX_BODY_BYTES) + "\"}";

            assertThat(malformedReason(big)).contains("over the 1048576-byte (1 MiB) limit")
                    .contains(String.valueOf(big.length()));
        }

        @Test
        void parse_countsUtf8Bytes_notChars_forTheSizeLimit() {
            // 400,000 euro signs are 400,000 chars but 1,200,000 UTF-8 bytes.
            String big = "{\"command\":\"prune\",\"pad\":\"" + "€".repeat(400_000) + "\"}";

            int bytes = big.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;

            assertThat(big.length()).isLessThan(MessageParser.MAX_BODY_BYTES);
            assertThat(malformedReason(big)).contains("body is " + bytes + " bytes");
        }

        @Test
        void parse_acceptsBodyOfExactlyOneMebibyte() {
            String head = "{\"command\":\"prune\"}";
            String body = head + " ".repeat(MessageParser.MAX_BODY_BYTES - head.length());

            assertThat(parse(body)).isInstanceOf(Command.class);
        }

        @Test
        void parse_returnsMalformedNotError_forHundredThousandOpenBrackets() {
            assertThat(malformedReason("[".repeat(100_000))).contains("nesting depth");
        }

        @Test
        void parse_returnsMalformedNotError_forDeeplyNestedObjects_alsoInsideSnsMessage() {
            String deep = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);

            assertThat(malformedReason(deep)).contains("nesting depth");
            assertThat(malformedReason(sns("{\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}")))
                    .contains("'Message' exceeds a JSON limit").contains("nesting depth");
        }

        @Test
        void parse_acceptsNestingUpToTheLimit() {
            int depth = MessageParser.MAX_NESTING_DEPTH - 1; // plus the outer object
            String body = "{\"hello\":" + "[".repeat(depth) + "]".repeat(depth) + "}";

            assertThat(parseAs(Ignored.class, body).what()).isEqualTo("unrecognised");
        }

        @Test
        void parse_skipsLeadingByteOrderMark() {
            assertThat(parse("\uFEFF" + json(map("command", "prune")))).isInstanceOf(Command.class);
            assertThat(malformedReason("\uFEFF")).isEqualTo("body is empty");
        }

        @Test
        void parse_returnsMalformed_forBinaryGarbage() {
            assertThat(malformedReason(body("malformed/binary-garbage.bin"))).contains("not valid JSON");
        }

        @Test
        void parse_returnsMalformed_forTopLevelScalars() {
            assertThat(malformedReason("null")).contains("JSON null");
            assertThat(malformedReason("42")).contains("a number");
            assertThat(malformedReason("\"text\"")).contains("a string");
            assertThat(malformedReason("[{\"command\":\"prune\"}]")).contains("an array");
        }

        @Test
        void parse_returnsMalformed_forTrailingTokens() {
            assertThat(malformedReason(body("malformed/trailing-garbage.json"))).contains("Trailing token");
        }

        @Test
        void parse_keepsReasonsShortAndFreeOfControlCharacters_forHostileContent() {
            String reason = malformedReason("\u001b[31m" + "z".repeat(10_000));

            assertThat(reason).hasSizeLessThan(500).doesNotContain("\u001b");
        }

        @Test
        void parse_returnsIgnoredUnrecognisedNamingFields_forOtherJsonObjects() {
            Ignored m = parseAs(Ignored.class, json(map("a", 1, "b", 2, "c", 3, "d", 4, "e", 5, "f", 6)));

            assertThat(m.what()).isEqualTo("unrecognised");
            assertThat(m.reason()).contains("[a, b, c, d, e, …]");
        }
    }

    // ------------------------------------------------------------------ reasons are safe, names bounded (issue 10, items 1 and 4)

    @Nested
    class SafeReasonsAndBoundedNames {

        private void assertSafe(String reason) {
            assertThat(SafeText.isSafe(reason)).as("safe: %s", SafeText.of(reason, 2_000)).isTrue();
            assertThat(reason).hasSizeLessThanOrEqualTo(MessageParser.MAX_REASON_CHARS);
        }

        @Test
        void parse_neverCutsASurrogatePair_whenAReasonClipsAQuotedValueAtThePair() {
            for (int before : new int[] {39, 119, 199, 299, 399}) {
                Map<String, Object> m = rds("db-snapshot", "s", "RDS-EVENT-0042");
                m.put("Source ARN", "x".repeat(before) + "\ud83d\ude00" + "-rest");

                String reason = malformedReason(sns(json(m)));

                assertSafe(reason);
                assertThat(reason).as("cut before the pair at %d", before).contains("'Source ARN'")
                        .doesNotContain("\ud83d…");
            }
        }

        @Test
        void parse_escapesLoneSurrogatesAndControls_inEveryQuotedValue() {
            Map<String, Object> m = rds("db-snapshot", "s", "RDS-EVENT-0042");
            m.put("Source ARN", "arn:\ud800\u0000\n\u001b[31m");

            String reason = malformedReason(sns(json(m)));

            assertSafe(reason);
            assertThat(reason).contains("'arn:\\ud800\\u0000\\n\\u001b[31m'");
        }

        @Test
        void parse_makesJacksonsOwnErrorTextSafe_whenItQuotesTheBody() {
            String reason = malformedReason("\ud800" + "\ud83d\ude00".repeat(300));

            assertSafe(reason);
            assertThat(reason).contains("not valid JSON").contains("\\ud800");
        }

        @Test
        void parse_makesFieldNamesSafe_inTheUnrecognisedReason() {
            Ignored m = parseAs(Ignored.class, "{\"\\ud800\":1,\"a\\u0007\":2}");

            assertSafe(m.reason());
            assertThat(m.reason()).contains("[\\ud800, a\\u0007]");
        }

        @Test
        void parse_keepsEveryReasonWithinTheBound_whenManyLongValuesAreQuoted() {
            String url = "https://sns/?" + "\ud83d\ude00".repeat(5_000);
            String body = json(map("Type", "SubscriptionConfirmation", "TopicArn", "t".repeat(5_000),
                    "MessageId", "m", "SubscribeURL", url, "Message", "x"));

            assertSafe(parseAs(Ignored.class, body).reason());
        }

        @Test
        void parse_passesALoneSurrogateInASourceIdThrough_asTheIssuesWellFormedEvent() {
            // Issue 10 item 1: the event is well-formed; storing its strings safely is the ledger's part.
            SnapshotCreated m = parseAs(SnapshotCreated.class, body("raw/rds-0042-lone-surrogate-source-id.json"));

            assertThat(m.snapshot().identifier()).isEqualTo("orders-\ud800-snap");
            assertThat(m.key()).isEqualTo("arn:aws:rds:us-east-1:123456789012:snapshot:orders-snap");
        }

        @Test
        void parse_returnsMalformedNamingTheField_forEachNameLongerThanTheBound() {
            String tooLong = "n".repeat(MessageParser.MAX_NAME_CHARS + 1);
            Map<String, Object> sourceId = rds("db-snapshot", tooLong, "RDS-EVENT-0042");
            Map<String, Object> sourceArn = rds("db-snapshot", "s", "RDS-EVENT-0042");
            sourceArn.put("Source ARN", "arn:aws:rds:us-east-2:210987654321:snapshot:" + tooLong);
            Map<String, Object> backup = map("state", "COMPLETED", "recoveryPointArn",
                    "arn:aws:rds:us-east-1:123456789012:snapshot:awsbackup:" + tooLong);

            assertThat(malformedReason(sns(json(sourceId)))).contains("'Source ID' is 1025 characters long");
            assertThat(malformedReason(sns(json(sourceArn)))).contains("'Source ARN' is");
            assertThat(malformedReason(json(eventBridge("aws.rds", "RDS DB Snapshot Event",
                    map("EventID", "RDS-EVENT-0042", "SourceIdentifier", tooLong))))).contains("'detail.SourceIdentifier' is");
            assertThat(malformedReason(json(eventBridge("aws.backup", "Backup Job State Change", backup))))
                    .contains("'detail.recoveryPointArn' is");
            assertThat(malformedReason(json(eventBridge("aws.s3", "AWS Service Event via CloudTrail",
                    map("eventName", "JobStatusChanged", "serviceEventDetails", map("jobId", tooLong, "status", "New"))))))
                    .contains("'detail.serviceEventDetails.jobId' is");
            assertThat(malformedReason(json(eventBridge("aws.glue", "Glue Crawler State Change",
                    map("crawlerName", tooLong, "state", "Started"))))).contains("'detail.crawlerName' is");
            assertThat(malformedReason(json(map("command", "prune", "requestId", tooLong)))).contains("'requestId' is");
            assertThat(malformedReason(json(map("command", "p" + tooLong)))).contains("'command' is");
        }

        @Test
        void parse_returnsMalformed_whenTheBuiltArnWouldBeLongerThanTheBound() {
            Map<String, Object> m = rds("db-snapshot", "n".repeat(MessageParser.MAX_NAME_CHARS - 10), "RDS-EVENT-0042");

            assertThat(malformedReason(sns(json(m)))).contains("the snapshot ARN built from the envelope");
        }

        @Test
        void parse_acceptsNamesOfExactlyTheBound() {
            String longest = "n".repeat(MessageParser.MAX_NAME_CHARS);

            assertThat(parseAs(Command.class, json(map("command", "prune", "requestId", longest))).key())
                    .isEqualTo("prune#" + longest);
            assertThat(parseAs(SnapshotCreated.class, json(rds("db-snapshot", longest, "RDS-EVENT-0042"))).key())
                    .isEqualTo(longest);
        }

        @Test
        void parse_keepsTheIgnoredReasonBounded_forAnUnknownEventIdOfManyDigits() {
            Ignored m = parseAs(Ignored.class, sns(json(rds("db-snapshot", "s", "RDS-EVENT-" + "7".repeat(50_000)))));

            assertThat(m.what()).isEqualTo("rds-event");
            assertSafe(m.reason());
        }
    }

    // ------------------------------------------------------------------ coming capabilities parse today

    @Nested
    class ComingCapabilities {

        @Test
        void parse_returnsCommand_forTheScheduledSnapshotCommand() {
            Command m = parseAs(Command.class, body("raw/command-snapshot.json"));

            assertThat(m.name()).isEqualTo("snapshot");
            assertThat(m.args()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("policy", "twice-daily", "slot", "2026-12-01T17:00:00Z"));
            assertThat(m.key()).isEqualTo("snapshot");
        }

        @ParameterizedTest
        @ValueSource(strings = {"snapshot", "clone", "extend", "delete", "reap"})
        void parse_returnsCommand_forEachComingCommandName_bareInSnsAndInEventBridge(String name) {
            String bare = json(map("command", name, "source", "orders", "dryRun", true, "requestId", "r-1"));
            Command expected = new Command(name, Map.of("source", "orders"), true, Optional.of("r-1"));

            assertThat(parse(bare)).isEqualTo(expected);
            assertThat(parse(sns(bare))).isEqualTo(expected);
            assertThat(parse(json(eventBridge("snapline.schedule", "Snapline Command",
                    map("command", name, "source", "orders", "dryRun", true, "requestId", "r-1"))))).isEqualTo(expected);
        }

        @ParameterizedTest
        @CsvSource({
                "RDS-EVENT-0170, db-cluster, RDS DB Cluster Event",
                "RDS-EVENT-0171, db-cluster, RDS DB Cluster Event",
                "RDS-EVENT-0005, db-instance, RDS DB Instance Event",
                "RDS-EVENT-0003, db-instance, RDS DB Instance Event",
                "RDS-EVENT-0012, db-instance, RDS DB Instance Event",
                "RDS-EVENT-0014, db-instance, RDS DB Instance Event"})
        void parse_returnsIgnoredRdsEventNamingTheId_forComingEventIds_inBothEnvelopes(String eventId, String eventSource,
                                                                                       String detailType) {
            Ignored viaSns = parseAs(Ignored.class, sns(json(rds(eventSource, "orders-1", eventId))));
            Ignored viaEventBridge = parseAs(Ignored.class, json(eventBridge("aws.rds", detailType,
                    map("EventID", eventId, "SourceIdentifier", "orders-1", "Message", "x"))));

            assertThat(viaSns).isEqualTo(new Ignored("rds-event", eventId + " is not one Snapline acts on"));
            assertThat(viaEventBridge).isEqualTo(viaSns);
        }

        @Test
        void parse_keepsTheCopyEventsItActsOn_0059Creating_0060Created() {
            assertThat(parseAs(Ignored.class, sns(json(rds("db-snapshot", "dr-1", "RDS-EVENT-0059")))).what())
                    .isEqualTo("snapshot-creating");
            assertThat(parseAs(SnapshotCreated.class, sns(json(rds("db-snapshot", "dr-1", "RDS-EVENT-0060")))).origin())
                    .isEqualTo(Origin.COPY);
        }
    }

    // ------------------------------------------------------------------ helpers exposed for reuse

    @Test
    void parseTime_readsRdsAndIsoForms_andRejectsOthers() {
        assertThat(Times.parse("2021-11-07 17:43:51.876")).isEqualTo(Instant.parse("2021-11-07T17:43:51.876Z"));
        assertThat(Times.parse("2021-11-07 17:43:51")).isEqualTo(Instant.parse("2021-11-07T17:43:51Z"));
        assertThat(Times.parse("2021-11-07T17:43:52.348Z")).isEqualTo(Instant.parse("2021-11-07T17:43:52.348Z"));
        assertThat(Times.parse("2021-11-07T17:43:52.123456789Z")).isEqualTo(Instant.parse("2021-11-07T17:43:52.123456789Z"));
        assertThat(Times.parse("2021-11-07T17:43:52-0500")).isEqualTo(Instant.parse("2021-11-07T22:43:52Z"));
        assertThat(Times.parse("2021-11-07T17:43Z")).isEqualTo(Instant.parse("2021-11-07T17:43:00Z"));
        assertThat(Times.parse("2021-02-30 17:43:51.876")).isNull();
        assertThat(Times.parse("2021-11-07 17:43:51.")).isNull();
        assertThat(Times.parse("yesterday")).isNull();
        assertThat(Times.parse(null)).isNull();
    }

    @Test
    void utf8Length_matchesJavaEncoder() {
        for (String s : List.of("", "abc", "é", "€", "😀", "a\uD800b", "x€😀é")) {
            assertThat(Utf8.length(s)).as(s)
                    .isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }
}
