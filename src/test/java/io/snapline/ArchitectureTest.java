package io.snapline;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.snapline.archfixture.UsesTheSdkByItsFullName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each package of {@code src/main} may use, as an allow-list read from the compiled classes
 * (so a fully qualified name in the code counts as much as an import). Every package must have an
 * entry: a new package without one fails {@link #everyPackageHasAnEntry()}, so its dependencies are
 * decided, not inherited.
 *
 * <p>The direction it holds: the message model depends on nothing of ours and on no SDK; handlers
 * see gateways, the ledger, errors and configuration, never the SDK or its adapters in {@code aws};
 * only {@code aws}, {@code consumer} (SQS), the ledger's DynamoDB store, {@code local} (the embedded
 * queue and its scheduler's SQS sends) and the classifier in {@code error} (the SDK's exception types) touch the AWS SDK.
 */
class ArchitectureTest {

    /** What every package may use: the JDK, logging, and Micronaut's bean model. */
    static final List<String> COMMON = List.of("java..", "org.slf4j..", "jakarta.inject..", "jakarta.annotation..",
            "io.micronaut.core..", "io.micronaut.inject..", "io.micronaut.context..");

    static final String JACKSON = "com.fasterxml.jackson..";
    static final String METRICS = "io.micrometer.core..";

    /** Per package (exact, not its sub-packages), what it may use besides {@link #COMMON} and itself. */
    static final Map<String, List<String>> ALLOWED = Map.ofEntries(
            entry("io.snapline", List.of("io.micronaut.runtime..", "io.snapline.config", "io.snapline.consumer",
                    "sun.misc")),
            entry("io.snapline.message", List.of(JACKSON)),
            entry("io.snapline.gateway", List.of("io.snapline.message")),
            entry("io.snapline.error", List.of("software.amazon.awssdk.awscore.exception",
                    "software.amazon.awssdk.core.exception")),
            entry("io.snapline.config", List.of("io.snapline.gateway", "io.snapline.masking", "io.snapline.message")),
            entry("io.snapline.metrics", List.of(METRICS, "io.micrometer.cloudwatch2..")),
            entry("io.snapline.ledger", List.of(JACKSON, "io.snapline.config", "io.snapline.message",
                    "software.amazon.awssdk.core..", "software.amazon.awssdk.services.dynamodb..")),
            entry("io.snapline.masking", List.of(JACKSON, "javax.crypto..", "io.snapline.error", "io.snapline.ledger")),
            entry("io.snapline.handler", List.of("io.snapline.error", "io.snapline.gateway", "io.snapline.message")),
            entry("io.snapline.handler.step", List.of(METRICS, "io.snapline.config", "io.snapline.error",
                    "io.snapline.handler", "io.snapline.ledger")),
            entry("io.snapline.handler.export", List.of(JACKSON, METRICS, "io.snapline.config", "io.snapline.error",
                    "io.snapline.gateway", "io.snapline.handler", "io.snapline.handler.step", "io.snapline.ledger",
                    "io.snapline.message")),
            entry("io.snapline.handler.prune", List.of(JACKSON, METRICS, "io.snapline.config", "io.snapline.error",
                    "io.snapline.gateway", "io.snapline.handler", "io.snapline.handler.step", "io.snapline.ledger",
                    "io.snapline.message")),
            entry("io.snapline.consumer", List.of(JACKSON, METRICS, "io.micronaut.runtime..", "io.snapline.config",
                    "io.snapline.error", "io.snapline.handler", "io.snapline.handler.step", "io.snapline.ledger",
                    "io.snapline.message", "software.amazon.awssdk.services.sqs..")),
            entry("io.snapline.aws", List.of(JACKSON, "io.micronaut.aws..", "io.snapline.config", "io.snapline.error",
                    "io.snapline.gateway", "io.snapline.local", "io.snapline.message", "software.amazon.awssdk..")),
            entry("io.snapline.handler.schedule", List.of(JACKSON, METRICS, "io.snapline.config", "io.snapline.error",
                    "io.snapline.gateway", "io.snapline.handler", "io.snapline.handler.export", "io.snapline.handler.step",
                    "io.snapline.ledger", "io.snapline.message")),
            entry("io.snapline.handler.copy", List.of(JACKSON, METRICS, "io.snapline.config", "io.snapline.error",
                    "io.snapline.gateway", "io.snapline.handler", "io.snapline.handler.export", "io.snapline.handler.step",
                    "io.snapline.ledger", "io.snapline.message")),
            entry("io.snapline.handler.clone", List.of(JACKSON, METRICS, "io.snapline.config", "io.snapline.error",
                    "io.snapline.gateway", "io.snapline.handler", "io.snapline.handler.export", "io.snapline.handler.step",
                    "io.snapline.ledger", "io.snapline.masking", "io.snapline.message")),
            entry("io.snapline.local", List.of(JACKSON, "jakarta.validation..", "org.apache.pekko..", "org.elasticmq..",
                    "io.micronaut.runtime.server.event..", "io.snapline.config", "io.snapline.consumer",
                    "software.amazon.awssdk.services.sqs..")),
            entry("io.snapline.web.console", List.of("io.micronaut.http..", "io.micronaut.scheduling..",
                    "io.snapline.config", "io.snapline.consumer", "io.snapline.handler", "io.snapline.handler.export",
                    "io.snapline.handler.prune", "io.snapline.ledger", "io.snapline.message")),
            entry("io.snapline.web", List.of("io.micronaut.http..", "io.micronaut.health..", "io.micronaut.management..",
                    "io.netty..", "org.reactivestreams..", "reactor.core..", JACKSON, "javax.crypto..",
                    "io.snapline.config", "io.snapline.consumer", "io.snapline.handler.clone", "io.snapline.handler.prune", "io.snapline.ledger", "io.snapline.local", "io.snapline.message")));

    /** Inside the ledger package, the classes that may touch the SDK: the DynamoDB store and its factory. */
    static final Set<String> LEDGER_SDK_CLASSES = Set.of("io.snapline.ledger.DynamoDbLedger", "io.snapline.ledger.LedgerFactory");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.snapline");
        assertThat(main).as("compiled main classes").hasSizeGreaterThan(100);
    }

    static Stream<String> packages() {
        return ALLOWED.keySet().stream().sorted();
    }

    @ParameterizedTest(name = "{0} uses only what its entry allows")
    @MethodSource("packages")
    void packageUsesOnlyWhatItsEntryAllows(String pkg) {
        rule(pkg).check(main);
    }

    @Test
    void everyPackageHasAnEntry() {
        Set<String> found = new TreeSet<>();
        for (JavaClass c : main) {
            found.add(c.getPackageName());
        }
        assertThat(found).as("packages of src/main without an entry in ALLOWED").isSubsetOf(ALLOWED.keySet());
        assertThat(ALLOWED.keySet()).as("entries in ALLOWED for packages that no longer exist").isSubsetOf(found);
    }

    @Test
    void inTheLedger_onlyTheDynamoDbStoreTouchesTheSdk() {
        noClasses().that().resideInAPackage("io.snapline.ledger")
                .and().doNotHaveFullyQualifiedName("io.snapline.ledger.DynamoDbLedger")
                .and().doNotHaveFullyQualifiedName("io.snapline.ledger.LedgerFactory")
                .and().haveNameNotMatching("io\\.snapline\\.ledger\\.\\$(DynamoDbLedger|LedgerFactory)\\$.*")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")
                .check(main);
        assertThat(LEDGER_SDK_CLASSES).allSatisfy(name -> assertThat(main.contain(name)).as(name).isTrue());
    }

    /** The rule reads bytecode: a fully qualified name without an import is caught like an import. */
    @Test
    void aFullyQualifiedNameWithoutAnImportIsCaught() {
        JavaClasses fixture = new ClassFileImporter().importClasses(UsesTheSdkByItsFullName.class);
        ArchRule messageLike = classes().that().resideInAPackage("io.snapline.archfixture")
                .should().onlyDependOnClassesThat().resideInAnyPackage(allowedFor("io.snapline.archfixture",
                        List.of(JACKSON)));
        EvaluationResult result = messageLike.evaluate(fixture);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anySatisfy(d -> assertThat(d).contains("software.amazon.awssdk"));
    }

    private static ArchRule rule(String pkg) {
        return classes().that().resideInAPackage(pkg)
                .should().onlyDependOnClassesThat().resideInAnyPackage(allowedFor(pkg, ALLOWED.get(pkg)))
                .because(pkg + "'s entry in ArchitectureTest.ALLOWED says what it may use");
    }

    private static String[] allowedFor(String pkg, List<String> extra) {
        List<String> all = new ArrayList<>(COMMON);
        all.add(pkg);
        all.addAll(extra);
        return all.toArray(String[]::new);
    }
}
