package io.snapline.aws;

import io.snapline.fake.FakeAws;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.ObjectStoreGateway;
import io.snapline.gateway.ObjectStoreGateway.AclResult;
import io.snapline.gateway.ObjectStoreGateway.DeleteObjectsResult;
import io.snapline.gateway.ObjectStoreGateway.KeyError;
import io.snapline.gateway.ObjectStoreGateway.ObjectInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SdkObjectStoreGatewayIT {

    private static final String SOURCE_ACCOUNT = "210987654321";

    private FakeAwsFixture env;
    private FakeAws fake;
    private ObjectStoreGateway objects;

    @BeforeEach
    void setUp() {
        env = new FakeAwsFixture();
        fake = env.fake();
        objects = env.gateways().objects(AwsAccess.DEFAULT);
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    @Test
    void checkOwner_asksWithExpectedBucketOwner_andTellsOwnedFromNotOwnedFromMissing() {
        fake.s3().createBucket("ours", FakeAws.ACCOUNT, "BucketOwnerPreferred");
        fake.s3().createBucket("ours-no-controls", FakeAws.ACCOUNT, null);
        fake.s3().createBucket("theirs", SOURCE_ACCOUNT, "BucketOwnerEnforced");

        assertThat(objects.checkOwner("ours", FakeAws.ACCOUNT)).isEqualTo(ObjectStoreGateway.OwnerCheck.OWNED);
        assertThat(objects.checkOwner("ours-no-controls", FakeAws.ACCOUNT)).isEqualTo(ObjectStoreGateway.OwnerCheck.OWNED);
        assertThat(objects.checkOwner("theirs", FakeAws.ACCOUNT)).isEqualTo(ObjectStoreGateway.OwnerCheck.NOT_OWNED);
        assertThat(objects.checkOwner("nope", FakeAws.ACCOUNT)).isEqualTo(ObjectStoreGateway.OwnerCheck.NO_SUCH_BUCKET);
        assertThat(fake.requests("GetBucketOwnershipControls")).hasSize(4)
                .allSatisfy(r -> assertThat(r.params()).containsEntry("ExpectedBucketOwner", FakeAws.ACCOUNT));
    }

    @Test
    void objectOwnership_readsTheRule_orIsEmptyWithoutControls() {
        fake.s3().createBucket("enforced");
        fake.s3().createBucket("preferred", FakeAws.ACCOUNT, "BucketOwnerPreferred");
        fake.s3().createBucket("legacy", FakeAws.ACCOUNT, null);

        assertThat(objects.objectOwnership("enforced")).contains("BucketOwnerEnforced");
        assertThat(objects.objectOwnership("preferred")).contains("BucketOwnerPreferred");
        assertThat(objects.objectOwnership("legacy")).isEmpty();
    }

    @Test
    void expectedBucketOwner_isSentOnEveryCall_andABucketOfAnotherOwnerIsRefused() {
        fake.s3().createBucket("ours", FakeAws.ACCOUNT, "BucketOwnerPreferred");
        fake.s3().putObject("ours", "snap/t1/a.parquet", 1, SOURCE_ACCOUNT);
        fake.s3().createBucket("squatted", "999999999999", "BucketOwnerPreferred");
        fake.s3().putObject("squatted", "snap/t1/a.parquet", 1, SOURCE_ACCOUNT);
        ObjectStoreGateway guarded = env.gateways().objects(AwsAccess.DEFAULT, java.util.Optional.of(FakeAws.ACCOUNT));

        assertThat(guarded.objectOwnership("ours")).contains("BucketOwnerPreferred");
        List<ObjectInfo> listed = new ArrayList<>();
        guarded.forEachPage("ours", "snap/", listed::addAll);
        assertThat(guarded.grantBucketOwnerFullControl("ours", "snap/t1/a.parquet")).isEqualTo(AclResult.GRANTED);
        assertThat(guarded.deleteObjects("ours", List.of("snap/t1/a.parquet")).deleted()).containsExactly("snap/t1/a.parquet");
        assertThat(listed).hasSize(1);
        assertThat(fake.requests()).filteredOn(r -> List.of("GetBucketOwnershipControls", "ListObjectsV2", "PutObjectAcl",
                        "DeleteObjects").contains(r.operation()))
                .hasSize(4).allSatisfy(r -> assertThat(r.params()).containsEntry("ExpectedBucketOwner", FakeAws.ACCOUNT));

        assertThatThrownBy(() -> guarded.objectOwnership("squatted"))
                .isInstanceOf(io.snapline.error.PermanentProcessingException.class).hasMessageContaining("squatted");
        assertThatThrownBy(() -> guarded.grantBucketOwnerFullControl("squatted", "snap/t1/a.parquet"))
                .satisfies(e -> assertThat(io.snapline.error.FailureClassifier.classify(e).permanent()).isTrue());
        assertThat(fake.s3().object("squatted", "snap/t1/a.parquet")).get().extracting(o -> o.acl()).isNotEqualTo("bucket-owner-full-control");
    }

    @Test
    void forEachPage_listsAllObjects_inPagesOfAtMost1000() {
        fake.s3().createBucket("exports");
        fake.s3().putObjects("exports", "snap/t1/", 2500, 10, FakeAws.ACCOUNT);
        fake.s3().putObject("exports", "other/x", 1, FakeAws.ACCOUNT);

        List<Integer> pageSizes = new ArrayList<>();
        List<ObjectInfo> all = new ArrayList<>();
        objects.forEachPage("exports", "snap/", page -> {
            pageSizes.add(page.size());
            all.addAll(page);
        });

        assertThat(pageSizes).containsExactly(1000, 1000, 500);
        assertThat(all).extracting(ObjectInfo::key).doesNotHaveDuplicates().allMatch(k -> k.startsWith("snap/t1/"));
        assertThat(all.get(0).size()).isEqualTo(10);
        assertThat(all.get(0).lastModified()).isNotNull();
    }

    @Test
    void childFolders_followsContinuationTokens_overCommonPrefixes() {
        fake.s3().createBucket("exports");
        IntStream.range(0, 1200).forEach(i ->
                fake.s3().putObjects("exports", String.format("snapline/task-%04d/", i), 3, 1, FakeAws.ACCOUNT));
        fake.s3().putObject("exports", "snapline/loose-file.json", 1, FakeAws.ACCOUNT);

        List<String> folders = objects.childFolders("exports", "snapline/");

        assertThat(folders).hasSize(1200).doesNotHaveDuplicates().allMatch(f -> f.matches("snapline/task-\\d{4}/"));
        assertThat(fake.requests("ListObjectsV2")).hasSize(2);
    }

    @Test
    void keysWithSpecialCharacters_surviveTheRoundTrip() {
        fake.s3().createBucket("exports");
        String key = "snap/app db/public.t+1/part 00000 ü.gz.parquet";
        fake.s3().putObject("exports", key, 5, FakeAws.ACCOUNT);

        List<String> keys = new ArrayList<>();
        objects.forEachPage("exports", "snap/", page -> page.forEach(o -> keys.add(o.key())));

        assertThat(keys).containsExactly(key);
        fake.s3().createBucket("preferred", FakeAws.ACCOUNT, "BucketOwnerPreferred");
        fake.s3().putObject("preferred", key, 5, SOURCE_ACCOUNT);
        assertThat(objects.grantBucketOwnerFullControl("preferred", key)).isEqualTo(AclResult.GRANTED);
        assertThat(fake.s3().object("preferred", key)).get().extracting(o -> o.acl()).isEqualTo("bucket-owner-full-control");
    }

    @Test
    void grantBucketOwnerFullControl_setsTheCannedAcl() {
        fake.s3().createBucket("preferred", FakeAws.ACCOUNT, "BucketOwnerPreferred");
        fake.s3().putObject("preferred", "snap/a.parquet", 5, SOURCE_ACCOUNT);

        assertThat(objects.grantBucketOwnerFullControl("preferred", "snap/a.parquet")).isEqualTo(AclResult.GRANTED);

        var object = fake.s3().object("preferred", "snap/a.parquet").orElseThrow();
        assertThat(object.acl()).isEqualTo("bucket-owner-full-control");
        assertThat(object.owner()).as("PutObjectAcl does not transfer ownership").isEqualTo(SOURCE_ACCOUNT);
        assertThat(fake.requests("PutObjectAcl").get(0).params()).containsEntry("x-amz-acl", "bucket-owner-full-control");
    }

    @Test
    void grantBucketOwnerFullControl_isNotSupported_onBucketOwnerEnforcedBuckets() {
        fake.s3().createBucket("enforced");
        fake.s3().putObject("enforced", "snap/a.parquet", 5, SOURCE_ACCOUNT);

        assertThat(objects.grantBucketOwnerFullControl("enforced", "snap/a.parquet")).isEqualTo(AclResult.NOT_SUPPORTED);
        assertThat(fake.s3().object("enforced", "snap/a.parquet").orElseThrow().owner()).isEqualTo(FakeAws.ACCOUNT);
    }

    @Test
    void deleteObjects_reportsPerKeyErrors_andMissingKeysAsDeleted() {
        fake.s3().createBucket("exports");
        fake.s3().putObject("exports", "a", 1, FakeAws.ACCOUNT);
        fake.s3().putObject("exports", "b", 1, FakeAws.ACCOUNT);
        fake.s3().failDelete("exports", "b", "AccessDenied", "Access Denied");

        DeleteObjectsResult result = objects.deleteObjects("exports", List.of("a", "b", "never-existed"));

        assertThat(result.deleted()).containsExactlyInAnyOrder("a", "never-existed");
        assertThat(result.errors()).containsExactly(new KeyError("b", "AccessDenied", "Access Denied"));
        assertThat(fake.s3().keys("exports", "")).containsExactly("b");
    }

    @Test
    void deleteObjects_deletes1000KeysInOneCall_andRefusesMore() {
        fake.s3().createBucket("exports");
        fake.s3().putObjects("exports", "k/", 1000, 1, FakeAws.ACCOUNT);
        List<String> keys = fake.s3().keys("exports", "k/");

        assertThat(objects.deleteObjects("exports", keys).deleted()).hasSize(1000);
        assertThat(fake.s3().objectCount("exports")).isZero();
        List<String> tooMany = IntStream.range(0, 1001).mapToObj(i -> "k/" + i).toList();
        assertThatThrownBy(() -> objects.deleteObjects("exports", tooMany)).isInstanceOf(IllegalArgumentException.class);
    }
}
