package io.snapline.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapline.error.AwsErrorCodes.Entry;
import io.snapline.error.AwsErrorCodes.Origin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every entry of every AWS error table against the service's botocore model (the models the Java SDK
 * is generated from), so that a misspelt code cannot hide in a table:
 * <ul>
 *   <li>{@link Origin#MODEL}: the wire code ({@code error.code}, else the shape name) of an error shape;</li>
 *   <li>{@link Origin#SHAPE_NAME}: the name of an error shape whose wire code differs (what emulators answer);</li>
 *   <li>anything else must not be an error shape or shape name of the model (it would be MODEL then);
 *       {@link Origin#COMMON} must be one of AWS's common errors, {@link Origin#DOCUMENTED} must be named in the
 *       model's own text, in AWS-FACTS, or in the list below taken from the page its entry cites.</li>
 * </ul>
 * The models are read from {@code /work/shared/aws-models} (system property {@code snapline.aws-models}
 * to point elsewhere); a missing directory fails the test rather than skipping it.
 */
class AwsErrorCodesModelTest {

    static final Path MODELS = Path.of(System.getProperty("snapline.aws-models", "/work/shared/aws-models"));
    /** Models the project keeps itself, for services the shared directory does not hold. */
    static final Path REPO_MODELS = Path.of("src/test/resources/aws-models");
    static final Path FACTS = Path.of(System.getProperty("snapline.aws-facts", "/work/shared/AWS-FACTS.md"));

    /** AWS's common errors (any API may answer them; no model lists them): the common-errors pages of the APIs. */
    static final Set<String> COMMON_ERRORS = Set.of("AccessDeniedException", "IncompleteSignature", "InternalFailure",
            "InvalidAction", "InvalidClientTokenId", "InvalidParameterCombination", "InvalidParameterValue",
            "InvalidQueryParameter", "MalformedQueryString", "MissingAction", "MissingAuthenticationToken",
            "MissingParameter", "NotAuthorized", "OptInRequired", "RequestExpired", "ServiceUnavailable",
            "ThrottlingException", "ValidationError");

    /** Codes the service documentation lists outside the models, as the entries' sources cite them. */
    static final Set<String> DOCUMENTED_ELSEWHERE = Set.of(
            "OwnershipControlsNotFoundError", // S3 API reference, GetBucketOwnershipControls / ErrorResponses
            "AccessDenied",                   // S3 ErrorResponses; STS AssumeRole (not authorized)
            "InvalidRequest",                 // S3 ErrorResponses (S3 Control answers S3's REST-XML codes)
            "AWS.SimpleQueueService.NonExistentQueue", // SQS common errors, query-compatible code
            "ValidationException");           // DynamoDB error handling

    private static final Map<AwsService, Model> MODELS_BY_SERVICE = new EnumMap<>(AwsService.class);
    private static String facts;

    record Model(Map<String, String> wireCodeByShape, String text) {
        boolean wireCode(String code) {
            return wireCodeByShape.containsValue(code);
        }

        boolean shapeName(String code) {
            return wireCodeByShape.containsKey(code);
        }
    }

    @BeforeAll
    static void load() throws IOException {
        assertThat(MODELS).as("botocore models directory (set -Dsnapline.aws-models)").isDirectory();
        ObjectMapper json = new ObjectMapper();
        for (AwsService service : AwsService.values()) {
            Path file = MODELS.resolve(service.modelName() + ".json");
            if (!Files.exists(file)) {
                // a model the shared directory lacks, kept with the tests (Secrets Manager: see its _comment)
                file = REPO_MODELS.resolve(service.modelName() + ".json");
            }
            String text = Files.readString(file);
            JsonNode shapes = json.readTree(text).path("shapes");
            Map<String, String> codes = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = shapes.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> shape = it.next();
                if (shape.getValue().path("exception").asBoolean(false)) {
                    codes.put(shape.getKey(), shape.getValue().path("error").path("code").asText(shape.getKey()));
                }
            }
            assertThat(codes).as(file + " error shapes").isNotEmpty();
            MODELS_BY_SERVICE.put(service, new Model(codes, text));
        }
        facts = Files.exists(FACTS) ? Files.readString(FACTS) : "";
    }

    @ParameterizedTest
    @EnumSource(AwsService.class)
    void everyEntry_isWhatItsOriginSays(AwsService service) {
        Model model = MODELS_BY_SERVICE.get(service);
        assertThat(AwsErrorCodes.table(service)).as(service + " table").isNotEmpty();
        for (Entry e : AwsErrorCodes.table(service)) {
            String what = service + " " + e.code() + " (" + e.origin() + ")";
            switch (e.origin()) {
                case MODEL -> assertThat(model.wireCode(e.code())).as(what + " is the wire code of an error shape").isTrue();
                case SHAPE_NAME -> {
                    assertThat(model.shapeName(e.code())).as(what + " is an error shape's name").isTrue();
                    String wire = model.wireCodeByShape().get(e.code());
                    assertThat(wire).as(what + ": its wire code differs").isNotEqualTo(e.code());
                    assertThat(AwsErrorCodes.meaning(service, wire)).as(what + ": the wire code " + wire
                            + " is in the table with the same meaning").contains(e.meaning());
                }
                case COMMON -> {
                    notModeled(model, e, what);
                    assertThat(COMMON_ERRORS).as(what + " is a common error").contains(e.code());
                }
                case DOCUMENTED -> {
                    notModeled(model, e, what);
                    assertThat(e.source()).as(what + " names its source").isNotBlank();
                    boolean named = model.text().contains(e.code()) || facts.contains(e.code())
                            || DOCUMENTED_ELSEWHERE.contains(e.code());
                    assertThat(named).as(what + " is named in the model's text, AWS-FACTS or its cited page").isTrue();
                }
                case UNVERIFIED -> {
                    notModeled(model, e, what);
                    assertThat(e.source()).as(what + " says why it is a guess").contains("UNVERIFIED");
                }
            }
        }
    }

    private static void notModeled(Model model, Entry e, String what) {
        assertThat(model.wireCode(e.code()) || model.shapeName(e.code()))
                .as(what + " is in the model: mark it MODEL or SHAPE_NAME").isFalse();
    }

    @Test
    void theCodesTheGatewaysNeed_meanWhatTheGatewaysExpect() {
        assertThat(AwsErrorCodes.meaning(AwsService.RDS, "ExportTaskAlreadyExists")).contains(AwsErrorMeaning.ALREADY_EXISTS);
        assertThat(AwsErrorCodes.meaning(AwsService.RDS, "InvalidExportSourceState")).contains(AwsErrorMeaning.NOT_READY);
        assertThat(AwsErrorCodes.meaning(AwsService.RDS, "DBSnapshotNotFound")).contains(AwsErrorMeaning.NOT_FOUND);
        assertThat(AwsErrorCodes.meaning(AwsService.S3, AwsErrorCodes.S3_NO_OWNERSHIP_CONTROLS)).contains(AwsErrorMeaning.NOT_FOUND);
        assertThat(AwsErrorCodes.meaning(AwsService.S3, "AccessControlListNotSupported")).contains(AwsErrorMeaning.ALREADY_EXISTS);
        assertThat(AwsErrorCodes.meaning(AwsService.GLUE, "CrawlerRunningException")).contains(AwsErrorMeaning.NOT_READY);
        assertThat(AwsErrorCodes.meaning(AwsService.GLUE, "EntityNotFoundException")).contains(AwsErrorMeaning.NOT_FOUND);
        assertThat(AwsErrorCodes.meaning(AwsService.S3_CONTROL, "IdempotencyException")).contains(AwsErrorMeaning.PERMANENT);
    }

    @Test
    void withoutItsService_aCodeMeansWhatEveryTableListingItAgreesOn() {
        // ThrottlingException: retryable in Glue and DynamoDB alike
        assertThat(AwsErrorCodes.meaningInAnyService("ThrottlingException")).contains(AwsErrorMeaning.RETRYABLE);
        assertThat(AwsErrorCodes.meaningInAnyService("NoSuchCodeAnywhere")).isEmpty();
        // InternalServiceException: retryable in S3 Control and Glue
        assertThat(AwsErrorCodes.meaningInAnyService("InternalServiceException")).contains(AwsErrorMeaning.RETRYABLE);
    }
}
