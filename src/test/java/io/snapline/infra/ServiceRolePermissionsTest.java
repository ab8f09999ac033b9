package io.snapline.infra;

import io.snapline.infra.TerraformModel.Block;
import io.snapline.infra.TerraformModel.Statement;
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
 * The task role of {@code modules/source-account} grants exactly the AWS actions Snapline's code calls:
 * every call's action is granted, and every granted action is needed by a call.
 * The calls are found in {@code src/main/java/io/snapline/**} by {@link SdkCallScanner} (the
 * client-variable convention, the scanning regex and the method-to-action table are documented
 * there); the grants are the Allow statements of the policy documents attached to
 * {@code aws_iam_role.task}, including the content of its {@code dynamic "statement"} blocks (granted
 * when their input is set: the crawler names, the cross-account role).
 *
 * Calls include the actions a call implies ({@code StartExportTask} passes the export role and has
 * RDS create a KMS grant) and the calls libraries make for the code ({@link SdkCallScanner#LIBRARY_CALLS}).
 * The resources of the derived grants (which roles, topics, keys) are held by the module's own
 * {@code terraform test} ({@code tests/source_account.tftest.hcl}).
 *
 * <p>A new SDK call therefore cannot ship without its permission, a grant cannot outlive the code that
 * needed it, and a call this table cannot map fails the build until someone decides what it needs.
 */
class ServiceRolePermissionsTest {

    private static Map<String, Set<String>> calls;
    private static Set<String> granted;

    @BeforeAll
    static void scan() {
        calls = new TreeMap<>(SdkCallScanner.scanTree(SdkCallScanner.mainSources()));
        calls.putAll(SdkCallScanner.libraryCalls(SdkCallScanner.mainSources(), SdkCallScanner.pom()));
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

    /** Per call, the actions it needs that no grant covers. */
    static Map<String, Set<String>> missingGrants(Map<String, Set<String>> calls, Set<String> grants) {
        Map<String, Set<String>> missing = new TreeMap<>();
        calls.forEach((call, actions) -> {
            Set<String> notGranted = actions.stream()
                    .filter(a -> !SdkCallScanner.granted(a, grants))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!notGranted.isEmpty()) {
                missing.put(call, notGranted);
            }
        });
        return missing;
    }

    /** The granted actions that no call needs. */
    static Set<String> unusedGrants(Map<String, Set<String>> calls, Set<String> grants) {
        Set<String> needed = calls.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        return grants.stream()
                .filter(g -> needed.stream().noneMatch(a -> SdkCallScanner.granted(a, Set.of(g))))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theTaskRoleGrantsEveryActionTheCodeCalls() {
        assertThat(missingGrants(calls, granted))
                .as("calls whose IAM action the task role (infra-terraform/modules/source-account/iam.tf) does not grant")
                .isEmpty();
    }

    @Test
    void theTaskRoleGrantsNothingTheCodeDoesNotCall() {
        assertThat(unusedGrants(calls, granted))
                .as("actions the task role (infra-terraform/modules/source-account/iam.tf) grants but no call in src/main needs: "
                        + "drop the grant, or map the call that needs it in SdkCallScanner")
                .isEmpty();
    }

    @Test
    void bothDirectionsFire() {
        Map<String, Set<String>> someCalls = Map.of(
                "a.java: sqs.receiveMessage", Set.of("sqs:ReceiveMessage", "kms:Decrypt"),
                "b.java: glue.startCrawler", Set.of("glue:StartCrawler"));
        Set<String> grants = Set.of("sqs:ReceiveMessage", "kms:Decrypt", "dynamodb:Query");
        assertThat(missingGrants(someCalls, grants)).isEqualTo(Map.of("b.java: glue.startCrawler", Set.of("glue:StartCrawler")));
        assertThat(unusedGrants(someCalls, grants)).containsExactly("dynamodb:Query");
    }

    /** The consumer is written: the scan must see its queue calls, or the two tests above would pass on nothing. */
    @Test
    void theScanSeesTheConsumersQueueCalls() {
        assertThat(SdkCallScanner.consumerExists(SdkCallScanner.mainSources())).isTrue();
        Set<String> actions = calls.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        assertThat(actions).contains("sqs:ReceiveMessage", "sqs:DeleteMessage", "kms:Decrypt", "sts:AssumeRole",
                "cloudwatch:PutMetricData", "iam:PassRole");
    }

    @Test
    void libraryCallsAreFoundOnlyWhereTheirMarkerIs(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        Path src = java.nio.file.Files.createDirectories(dir.resolve("src"));
        Path pom = dir.resolve("pom.xml");
        java.nio.file.Files.writeString(src.resolve("A.java"), "class A { // StsAssumeRoleCredentialsProvider in a comment only\n}");
        java.nio.file.Files.writeString(pom, "<project><artifactId>micronaut-micrometer-registry-prometheus</artifactId></project>");
        assertThat(SdkCallScanner.libraryCalls(src, pom)).isEmpty();

        java.nio.file.Files.writeString(src.resolve("B.java"), "class B { Object p = StsAssumeRoleCredentialsProvider.builder(); }");
        java.nio.file.Files.writeString(pom, "<project><artifactId>micronaut-micrometer-registry-cloudwatch</artifactId></project>");
        assertThat(SdkCallScanner.libraryCalls(src, pom)).isEqualTo(Map.of(
                "src: StsAssumeRoleCredentialsProvider", Set.of("sts:AssumeRole"),
                "pom: micronaut-micrometer-registry-cloudwatch", Set.of("cloudwatch:PutMetricData")));
    }

    @Test
    void theTaskRoleGrantsNoWildcardAction() {
        assertThat(granted).noneMatch(a -> a.contains("*"));
    }

    @ParameterizedTest(name = "{0}.{1} -> {2}")
    @CsvSource({
            "sqs, receiveMessage, sqs:ReceiveMessage+kms:Decrypt",
            "sqs, deleteMessageBatch, sqs:DeleteMessage",
            "sqs, changeMessageVisibilityBatch, sqs:ChangeMessageVisibility",
            "sqs, sendMessageBatch, sqs:SendMessage+kms:GenerateDataKey+kms:Decrypt",
            "rds, startExportTask, rds:StartExportTask+iam:PassRole+kms:DescribeKey+kms:CreateGrant",
            "sqs, getQueueAttributes, sqs:GetQueueAttributes",
            "dynamo, updateItem, dynamodb:UpdateItem",
            "dynamo, batchWriteItem, dynamodb:BatchWriteItem",
            "dynamo, query, dynamodb:Query",
            "rds, describeDBSnapshots, rds:DescribeDBSnapshots",
            "rds, describeDBSnapshotsPaginator, rds:DescribeDBSnapshots",
            "rds, describeExportTasksPaginator, rds:DescribeExportTasks",
            "rds, deleteDBClusterSnapshot, rds:DeleteDBClusterSnapshot",
            "s3, listObjectsV2Paginator, s3:ListBucket",
            "s3, deleteObjects, s3:DeleteObject",
            "s3, getBucketOwnershipControls, s3:GetBucketOwnershipControls",
            "s3, putObjectAcl, s3:PutObjectAcl",
            "s3Control, createJob, s3:CreateJob+iam:PassRole",
            "s3Control, describeJob, s3:DescribeJob",
            "glue, startCrawler, glue:StartCrawler",
            "sns, publish, sns:Publish",
            "sts, assumeRole, sts:AssumeRole",
    })
    void mapsAMethodToItsIamAction(String client, String method, String actions) {
        assertThat(SdkCallScanner.actionsFor(client, method)).containsExactlyInAnyOrder(actions.split("\\+"));
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
                "sqs.receiveMessage", Set.of("sqs:ReceiveMessage", "kms:Decrypt"),
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
                "s3:CreateJob", "glue:StartCrawler", "sts:AssumeRole", "cloudwatch:PutMetricData");
    }
}
