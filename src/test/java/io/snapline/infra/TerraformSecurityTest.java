package io.snapline.infra;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security invariants of {@code infra-terraform/}, checked on every {@code .tf} file parsed with
 * hcl4j ({@link TerraformModel}); the rules themselves are in {@link TerraformRules}. The nested
 * {@link RulesFire} class feeds each rule a small bad module, so a rule that silently stopped seeing
 * anything would fail there.
 */
class TerraformSecurityTest {

    private static TerraformModel repo;

    @BeforeAll
    static void parseRepository() {
        Path root = TerraformRules.terraformRoot();
        assertThat(root).as("the Terraform code of the repository").isDirectory();
        repo = TerraformModel.load(root);
    }

    @Test
    void everyTerraformFileParses_andTheModulesHoldWhatTheRulesCheck() {
        assertThat(repo.files()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(repo.blocks("data", "aws_iam_policy_document")).hasSizeGreaterThanOrEqualTo(10);
        assertThat(repo.blocks("resource", "aws_sqs_queue")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(repo.blocks("resource", "aws_sqs_queue_policy")).isNotEmpty();
        assertThat(repo.blocks("resource", "aws_s3_bucket_policy")).isNotEmpty();
        assertThat(repo.variables()).hasSizeGreaterThanOrEqualTo(30);
    }

    @Test
    void noAllowStatementGrantsAWildcardAction() {
        assertThat(TerraformRules.wildcardActionsInAllowStatements(repo)).isEmpty();
    }

    @Test
    void everyWildcardResourceAndWildcardActionHasACommentSayingWhy() {
        assertThat(TerraformRules.uncommentedWildcards(repo)).isEmpty();
    }

    @Test
    void everyQueueHasARedrivePolicyOrIsADeadLetterQueue_andIsEncrypted() {
        assertThat(TerraformRules.queuesHaveRedriveAndEncryption(repo)).isEmpty();
    }

    @Test
    void everyQueueBucketAndTopicPolicyIsConditionedOnSourceArnOrTls() {
        assertThat(TerraformRules.resourcePoliciesHaveSourceOrTlsConditions(repo)).isEmpty();
    }

    @Test
    void everyVariableHasATypeAndADescription() {
        assertThat(TerraformRules.variablesHaveTypeAndDescription(repo)).isEmpty();
    }

    @Test
    void theExportBucketOwnershipFollowsTheAclMode() {
        String analytics = repo.files().stream()
                .filter(f -> f.path().endsWith(Path.of("modules", "analytics-account", "main.tf")))
                .findFirst().orElseThrow().text();
        assertThat(analytics).contains(
                "object_ownership = var.acl_mode == \"none\" ? \"BucketOwnerEnforced\" : \"BucketOwnerPreferred\"");
    }

    @Test
    void theCrawlerCombinesCompatibleSchemasAndExcludesTheExportsMetadata() {
        var crawler = repo.blocks("resource", "aws_glue_crawler");
        assertThat(crawler).hasSize(1);
        String source = crawler.get(0).sourceText();
        assertThat(source).contains("CombineCompatibleSchemas", "\"**/export_info_*.json\"",
                "\"**/export_tables_info_*.json\"", "\"**/_SUCCESS\"", "schema_change_policy");
    }

    @Test
    void theExportFinishedRuleListsAllNineEventIds() {
        String main = repo.files().stream()
                .filter(f -> f.path().endsWith(Path.of("modules", "source-account", "main.tf")))
                .findFirst().orElseThrow().text();
        for (String id : List.of("0159", "0160", "0161", "0162", "0163", "0164", "0234", "0235", "0236")) {
            assertThat(main).contains("\"RDS-EVENT-" + id + "\"");
        }
    }

    /** Each rule, given a module that breaks it, reports the break. */
    @Nested
    class RulesFire {

        @TempDir
        Path dir;

        private TerraformModel module(String hcl) throws IOException {
            Files.writeString(dir.resolve("main.tf"), hcl);
            return TerraformModel.load(dir);
        }

        @Test
        void wildcardActionInAnAllowStatement() throws IOException {
            TerraformModel m = module("""
                    data "aws_iam_policy_document" "p" {
                      statement {
                        actions   = ["s3:*"]
                        resources = ["arn:aws:s3:::b"]
                      }
                      statement {
                        effect    = "Deny"
                        # deny over plain HTTP for every action
                        actions   = ["sqs:*"]
                        resources = ["arn:aws:sqs:eu-west-1:111111111111:q"]
                      }
                    }
                    """);
            assertThat(TerraformRules.wildcardActionsInAllowStatements(m))
                    .singleElement().asString().contains("'s3:*'");
        }

        @Test
        void wildcardInADynamicStatement() throws IOException {
            TerraformModel m = module("""
                    data "aws_iam_policy_document" "p" {
                      dynamic "statement" {
                        for_each = [1]
                        content {
                          actions   = ["*"]
                          resources = ["arn:aws:s3:::b"]
                        }
                      }
                    }
                    """);
            assertThat(TerraformRules.wildcardActionsInAllowStatements(m)).hasSize(1);
        }

        @Test
        void wildcardResourceWithoutAComment() throws IOException {
            TerraformModel m = module("""
                    data "aws_iam_policy_document" "p" {
                      statement {
                        actions   = ["rds:DescribeExportTasks"]
                        resources = ["*"]
                      }
                      statement {
                        actions = ["rds:StartExportTask"]
                        # StartExportTask supports no resource-level permissions.
                        resources = ["*"]
                      }
                      statement {
                        actions = [
                          "s3:GetObject*",
                        ]
                        resources = ["arn:aws:s3:::b/*"]
                      }
                    }
                    """);
            assertThat(TerraformRules.uncommentedWildcards(m))
                    .hasSize(2)
                    .anySatisfy(v -> assertThat(v).contains("main.tf:4:", "resources [*]"))
                    .anySatisfy(v -> assertThat(v).contains("main.tf:12:", "actions [s3:GetObject*]"));
        }

        @Test
        void queueWithoutRedriveOrEncryption() throws IOException {
            TerraformModel m = module("""
                    resource "aws_sqs_queue" "dlq" {
                      name              = "dlq"
                      kms_master_key_id = "alias/k"
                    }
                    resource "aws_sqs_queue" "main" {
                      name = "main"
                      redrive_policy = jsonencode({
                        deadLetterTargetArn = aws_sqs_queue.dlq.arn
                        maxReceiveCount     = 5
                      })
                    }
                    resource "aws_sqs_queue" "orphan" {
                      name                    = "orphan"
                      sqs_managed_sse_enabled = true
                    }
                    """);
            assertThat(TerraformRules.queuesHaveRedriveAndEncryption(m))
                    .hasSize(2)
                    .anySatisfy(v -> assertThat(v).contains("aws_sqs_queue.main", "not encrypted"))
                    .anySatisfy(v -> assertThat(v).contains("aws_sqs_queue.orphan", "no redrive_policy"));
        }

        @Test
        void queuePolicyAdmittingAServiceWithoutSourceArn_andBucketPolicyWithoutTls() throws IOException {
            TerraformModel m = module("""
                    data "aws_iam_policy_document" "q" {
                      statement {
                        principals {
                          type        = "Service"
                          identifiers = ["events.amazonaws.com"]
                        }
                        actions   = ["sqs:SendMessage"]
                        resources = ["arn:aws:sqs:eu-west-1:111111111111:q"]
                      }
                    }
                    resource "aws_sqs_queue_policy" "q" {
                      queue_url = "https://sqs/q"
                      policy    = data.aws_iam_policy_document.q.json
                    }
                    resource "aws_s3_bucket_policy" "b" {
                      bucket = "b"
                      policy = jsonencode({ Statement = [] })
                    }
                    """);
            assertThat(TerraformRules.resourcePoliciesHaveSourceOrTlsConditions(m))
                    .anySatisfy(v -> assertThat(v).contains("aws_sqs_queue_policy.q", "no statement conditioned"))
                    .anySatisfy(v -> assertThat(v).contains("admits a service without aws:SourceArn"))
                    .anySatisfy(v -> assertThat(v).contains("aws_s3_bucket_policy.b", "not a data.aws_iam_policy_document"));
        }

        @Test
        void variableWithoutTypeOrDescription() throws IOException {
            TerraformModel m = module("""
                    variable "typed" {
                      type        = string
                      description = "fine"
                    }
                    variable "bare" {
                      default = 1
                    }
                    """);
            assertThat(TerraformRules.variablesHaveTypeAndDescription(m))
                    .containsExactlyInAnyOrder(
                            "variable bare (" + dir.resolve("main.tf") + "): no type",
                            "variable bare (" + dir.resolve("main.tf") + "): no description");
        }
    }
}
