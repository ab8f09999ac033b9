package io.snapline.handler.export;

import io.snapline.config.ExportPolicy;

import java.util.List;

/** A mutable builder of {@link ExportPolicy} for tests; starts from a valid single-account policy. */
final class TestPolicies {

    String name = "analytics";
    List<String> sources = List.of("orders");
    List<String> kinds = List.of();
    String bucket = "exports-bucket";
    String prefix = "rds/{source}/{date}";
    String kmsKey = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    String exportRoleArn = "arn:aws:iam::111111111111:role/rds-export";
    List<String> exportOnly = List.of();
    String crawler = "orders-crawler";
    String crawlerRoleArn;
    String crawlerExternalId;
    String aclMode = "auto";
    Long aclBatchThreshold = 10_000L;
    String batchRoleArn = "arn:aws:iam::111111111111:role/batch-acl";
    String notificationTopic = "arn:aws:sns:us-east-1:111111111111:exports";
    String webhookUrl;
    String sourceRoleArn;
    String sourceExternalId;
    String bucketOwnerAccount;

    static TestPolicies policy() {
        return new TestPolicies();
    }

    TestPolicies name(String v) { name = v; return this; }
    TestPolicies sources(String... v) { sources = List.of(v); return this; }
    TestPolicies kinds(String... v) { kinds = List.of(v); return this; }
    TestPolicies bucket(String v) { bucket = v; return this; }
    TestPolicies prefix(String v) { prefix = v; return this; }
    TestPolicies kmsKey(String v) { kmsKey = v; return this; }
    TestPolicies exportRoleArn(String v) { exportRoleArn = v; return this; }
    TestPolicies exportOnly(String... v) { exportOnly = List.of(v); return this; }
    TestPolicies crawler(String v) { crawler = v; return this; }
    TestPolicies crawlerRoleArn(String v) { crawlerRoleArn = v; return this; }
    TestPolicies crawlerExternalId(String v) { crawlerExternalId = v; return this; }
    TestPolicies aclMode(String v) { aclMode = v; return this; }
    TestPolicies aclBatchThreshold(Long v) { aclBatchThreshold = v; return this; }
    TestPolicies batchRoleArn(String v) { batchRoleArn = v; return this; }
    TestPolicies notificationTopic(String v) { notificationTopic = v; return this; }
    TestPolicies webhookUrl(String v) { webhookUrl = v; return this; }
    TestPolicies sourceRoleArn(String v) { sourceRoleArn = v; return this; }
    TestPolicies sourceExternalId(String v) { sourceExternalId = v; return this; }
    TestPolicies bucketOwnerAccount(String v) { bucketOwnerAccount = v; return this; }

    ExportPolicy build() {
        return new ExportPolicy(name, sources, kinds, bucket, prefix, kmsKey, exportRoleArn, exportOnly, crawler,
                crawlerRoleArn, crawlerExternalId, aclMode, aclBatchThreshold, batchRoleArn, notificationTopic, webhookUrl, sourceRoleArn,
                sourceExternalId, bucketOwnerAccount);
    }
}
