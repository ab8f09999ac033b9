package io.snapline.infra;

import io.snapline.infra.TerraformModel.Block;
import io.snapline.infra.TerraformModel.Statement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The task role of {@code modules/source-account} grants every AWS action Snapline's code calls.
 * The calls are found in {@code src/main/java/io/snapline/**} by {@link SdkCallScanner} (the
 * client-variable convention, the scanning regex and the method-to-action table are documented
 * there); the grants are the Allow statements of the policy documents attached to
 * {@code aws_iam_role.task}, including the content of its {@code dynamic "statement"} blocks (granted
 * when their input is set: the crawler names, the cross-account role).
 *
 * <p>A new SDK call therefore cannot ship without its permission, and a call this table cannot map
 * fails the build until someone decides what it needs.
 */
class ServiceRolePermissionsTest {

    private static Map<String, Set<String>> calls;
    private static Set<String> granted;

    @BeforeAll
    static void scan() {
        calls = SdkCallScanner.scanTree(SdkCallScanner.mainSources());
        granted = taskRoleGrants(TerraformModel.load(TerraformRules.terraformRoot()));
    }

    /** Allow actions of every policy document attached to aws_iam_role.task by an aws_iam_role_policy. */
    static Set<String> taskRoleGrants(TerraformModel model) {
        Set<String> actions = new TreeSet<>();
        List<Block> attachments = model.blocks("resource", "aws_iam_role_policy").stream()
                .filter(b -> b.file().dir().endsWith(Path.of("modules", "source-account")))
                .filter(b -> String.valueOf(b.body().get("role")).startsWith("aws_iam_role.task."))
                .toList();
        assertThat(attachments).as("aws_iam_role_policy attached to aws_iam_role.task in modules/source-account").isNotEmpty();
        for (Block attachment : attachments) {
            Block document = model.policyDocument(attachment.file().dir(), attachment.body().get("policy"))
                    .orElseThrow(() -> new AssertionError(attachment.address() + ": policy is not a policy document"));
            for (Statement s : TerraformModel.statements(document)) {
                if (!s.deny()) {
                    actions.addAll(s.actions());
                }
            }
        }
        return actions;
    }

    @Test
    void theTaskRoleGrantsEveryActionTheCodeCalls() {
        Map<String, Set<String>> missing = new TreeMap<>();
        calls.forEach((call, actions) -> {
            Set<String> notGranted = actions.stream()
                    .filter(a -> !SdkCallScanner.granted(a, granted))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!notGranted.isEmpty()) {
                missing.put(call, notGranted);
            }
        });
        assertThat(missing)
                .as("calls whose IAM action the task role (infra-terraform/modules/source-account/iam.tf) does not grant")
                .isEmpty();
    }

    /**
     * Conditional by design: on a branch where the SQS consumer is not written yet there is nothing
     * to find, and the test is reported as skipped rather than passing on nothing. Once
     * {@code io/snapline/consumer} uses the SQS client, the scan must see its receive and delete calls
     * (a scan that finds nothing would make the test above pass vacuously).
     */
    @Test
    void theScanSeesTheConsumersQueueCalls_onceTheConsumerExists() {
        Assumptions.assumeTrue(SdkCallScanner.consumerExists(SdkCallScanner.mainSources()),
                "no SQS consumer under io/snapline/consumer yet");
        Set<String> actions = calls.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        assertThat(actions).contains("sqs:ReceiveMessage", "sqs:DeleteMessage");
    }

    @Test
    void theTaskRoleGrantsNoWildcardAction() {
        assertThat(granted).noneMatch(a -> a.contains("*"));
    }

    @ParameterizedTest(name = "{0}.{1} -> {2}")
    @CsvSource({
            "sqs, receiveMessage, sqs:ReceiveMessage",
            "sqs, deleteMessageBatch, sqs:DeleteMessage",
            "sqs, changeMessageVisibilityBatch, sqs:ChangeMessageVisibility",
            "sqs, sendMessageBatch, sqs:SendMessage",
            "sqs, getQueueAttributes, sqs:GetQueueAttributes",
            "dynamo, updateItem, dynamodb:UpdateItem",
            "dynamo, batchWriteItem, dynamodb:BatchWriteItem",
            "rds, describeDBSnapshots, rds:DescribeDBSnapshots",
            "rds, describeDBSnapshotsPaginator, rds:DescribeDBSnapshots",
            "rds, describeExportTasksPaginator, rds:DescribeExportTasks",
            "rds, deleteDBClusterSnapshot, rds:DeleteDBClusterSnapshot",
            "s3, listObjectsV2Paginator, s3:ListBucket",
            "s3, deleteObjects, s3:DeleteObject",
            "s3, getBucketOwnershipControls, s3:GetBucketOwnershipControls",
            "s3, putObjectAcl, s3:PutObjectAcl",
            "s3Control, createJob, s3:CreateJob",
            "s3Control, describeJob, s3:DescribeJob",
            "glue, startCrawler, glue:StartCrawler",
            "sns, publish, sns:Publish",
            "sts, assumeRole, sts:AssumeRole",
    })
    void mapsAMethodToItsIamAction(String client, String method, String action) {
        assertThat(SdkCallScanner.actionsFor(client, method)).containsExactly(action);
    }

    @Test
    void aMethodWithNoMappingRuleFailsLoudly() {
        assertThatThrownBy(() -> SdkCallScanner.actionsFor("sqs", "frobnicateQueue"))
                .isInstanceOf(SdkCallScanner.UnmappedCallException.class)
                .hasMessageContaining("sqs.frobnicateQueue")
                .hasMessageContaining("SdkCallScanner.EXCEPTIONS");
    }

    @Test
    void scanFindsCallsOnClientVariablesAndAccessors_andIgnoresCommentsAndBuilders() {
        String source = """
                class X {
                    /** Calls sqs.purgeQueue(...) never; this is only Javadoc. */
                    void run() {
                        var page = sqs.receiveMessage(r -> r.queueUrl(url));
                        clients.rds().describeDBClusterSnapshotsPaginator(req).forEach(p -> {});
                        s3Control.overrideConfiguration(cfg); // sns.publish( in a comment
                        dynamo.close();
                        var client = dynamo.get(); // an Optional<DynamoDbClient>, not an API call
                        this.glue.getCrawler(g -> g.name(n));
                    }
                }
                """;
        assertThat(SdkCallScanner.scanSource(source)).isEqualTo(Map.of(
                "sqs.receiveMessage", Set.of("sqs:ReceiveMessage"),
                "rds.describeDBClusterSnapshotsPaginator", Set.of("rds:DescribeDBClusterSnapshots"),
                "glue.getCrawler", Set.of("glue:GetCrawler")));
    }

    @Test
    void grantMatchingIsCaseInsensitiveAndHonoursWildcards() {
        assertThat(SdkCallScanner.granted("rds:DescribeDbSnapshots", Set.of("rds:DescribeDBSnapshots"))).isTrue();
        assertThat(SdkCallScanner.granted("s3:GetObjectVersion", Set.of("s3:GetObject*"))).isTrue();
        assertThat(SdkCallScanner.granted("s3:PutObject", Set.of("s3:GetObject*"))).isFalse();
    }

    @Test
    void theTaskRolePolicyIsReadFromTheModule() {
        // The grants the scan is compared with are really the module's (not an empty set that nothing could satisfy
        // or a parse that lost the dynamic statements).
        assertThat(granted).contains("sqs:ReceiveMessage", "dynamodb:UpdateItem", "rds:StartExportTask",
                "s3:CreateJob", "glue:StartCrawler", "sts:AssumeRole");
    }
}
