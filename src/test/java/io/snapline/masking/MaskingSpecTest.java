package io.snapline.masking;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaskingSpecTest {

    private static final String P = "snapline.clones.prod.masking";

    @Test
    void parse_readsNestedConfigurationAsMicronautBindsIt() {
        Map<String, Object> raw = Map.of("tables", Map.of(
                "public", Map.of("customers", Map.of("primary-key", "customer_id", "columns", new LinkedHashMap<>(Map.of(
                        "email", "fake:email")))),
                "audit_log", "truncate"));

        MaskingSpec spec = MaskingSpec.parse(P, raw);

        assertThat(spec.tables()).hasSize(2);
        MaskingSpec.TableSpec customers = spec.table(TableName.of("public", "customers")).orElseThrow();
        assertThat(customers.primaryKey()).contains("customer_id");
        assertThat(customers.columns()).containsExactly(Map.entry("email", Strategy.of(Strategy.Kind.FAKE_EMAIL)));
        assertThat(customers.configKey()).isEqualTo(P + ".tables.public.customers");
        assertThat(spec.table(new TableName(Optional.empty(), "audit_log")).orElseThrow().truncate()).isTrue();
    }

    @Test
    void parse_readsDottedKeysAndJsonTheSameAsNestedMaps() {
        MaskingSpec flat = MaskingSpec.parse(P, Map.of("tables.public.customers.columns.email", "hash",
                "tables.public.customers.columns.name", "fake:name"));
        MaskingSpec dotted = MaskingSpec.parse(P, Map.of("tables", Map.of("public.customers",
                Map.of("columns", Map.of("email", "hash", "name", "fake:name")))));
        MaskingSpec json = MaskingSpec.parseJson(P, """
                {"tables": {"public": {"customers": {"columns": {"email": "hash", "name": "fake:name"}}}}}""");

        for (MaskingSpec spec : List.of(flat, dotted, json)) {
            assertThat(spec.tables()).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo(TableName.of("public", "customers"));
                assertThat(t.columns()).containsOnly(Map.entry("email", Strategy.of(Strategy.Kind.HASH)),
                        Map.entry("name", Strategy.of(Strategy.Kind.FAKE_NAME)));
            });
        }
    }

    @Test
    void parse_readsEveryStrategy_andAYamlNullAsTheNullStrategy() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("a", "fake:name");
        columns.put("b", " FAKE:Email ");
        columns.put("c", "fake:phone");
        columns.put("d", "fake:address");
        columns.put("e", "hash");
        columns.put("f", "null");
        columns.put("g", null);
        columns.put("h", "constant:n/a: see ticket");
        columns.put("i", "constant:");
        columns.put("j", "keep");

        MaskingSpec spec = MaskingSpec.parse(P, Map.of("tables", Map.of("t", Map.of("columns", columns))));

        assertThat(spec.tables().get(0).columns().values()).containsExactly(Strategy.of(Strategy.Kind.FAKE_NAME),
                Strategy.of(Strategy.Kind.FAKE_EMAIL), Strategy.of(Strategy.Kind.FAKE_PHONE),
                Strategy.of(Strategy.Kind.FAKE_ADDRESS), Strategy.of(Strategy.Kind.HASH), Strategy.of(Strategy.Kind.NULL),
                Strategy.of(Strategy.Kind.NULL), Strategy.constant("n/a: see ticket"), Strategy.constant(""),
                Strategy.of(Strategy.Kind.KEEP));
    }

    @Test
    void problems_namesEveryProblemAtOnce_withItsFullKeyAndFix() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("email", "fake:mail");
        columns.put("Email", "hash");
        columns.put("ssn", "truncate");
        columns.put("age", 42);
        Map<String, Object> tables = new LinkedHashMap<>();
        tables.put("public.customers", Map.of("columns", columns, "primary-key", "bad key"));
        tables.put("public.orders", Map.of("truncate", true, "columns", Map.of("x", "hash")));
        tables.put("public.empty", Map.of("columns", Map.of()));
        tables.put("public.odd", "drop");
        tables.put("public.settings", Map.of("colums", Map.of("x", "hash")));

        List<String> problems = MaskingSpec.problems(P, Map.of("tables", tables, "extra", "x"));

        assertThat(problems).containsExactlyInAnyOrder(
                P + ".extra: is not a masking setting; the specification has one key, tables",
                P + ".tables.public.customers.primary-key: is not a column name (a letter or _ followed by letters,"
                        + " digits, _ or $, at most 63 characters); name the integer column to batch by, or leave it out"
                        + " to use the table's primary key",
                P + ".tables.public.customers.columns.email: unknown strategy 'fake:mail'; use one of " + Strategy.SPELLINGS,
                P + ".tables.public.customers.columns.Email: the column is listed twice (also as " + P
                        + ".tables.public.customers.columns.email); keep one entry",
                P + ".tables.public.customers.columns.ssn: unknown strategy 'truncate'; use one of " + Strategy.SPELLINGS
                        + "; truncate is for a whole table: write " + P + ".tables.public.customers: truncate",
                P + ".tables.public.customers.columns.age: unknown strategy '42'; use one of " + Strategy.SPELLINGS,
                P + ".tables.public.orders: is both truncated and has columns; a truncated table has no rows left to"
                        + " mask, so remove " + P + ".tables.public.orders.columns or the truncate",
                P + ".tables.public.empty.columns: is missing or empty; list the table's columns with a strategy each ("
                        + Strategy.SPELLINGS + ")",
                P + ".tables.public.odd: is 'drop'; a table's value is truncate, or its columns under " + P
                        + ".tables.public.odd.columns",
                P + ".tables.public.settings.colums: is not a table setting; use columns, truncate or primary-key");
        assertThatThrownBy(() -> MaskingSpec.parse(P, Map.of("tables", tables)))
                .isInstanceOfSatisfying(MaskingSpecException.class, e -> assertThat(e.problems()).hasSize(9));
    }

    @Test
    void problems_refuseAnEmptySpecification() {
        assertThat(MaskingSpec.problems(P, Map.of())).singleElement().asString()
                .startsWith(P + ".tables: is missing: the masking specification is empty");
        assertThat(MaskingSpec.problems(P, Map.of("tables", Map.of()))).singleElement().asString()
                .startsWith(P + ".tables: is missing or empty");
        assertThat(MaskingSpec.problemsInJson(P, "{\"tables\": {}}")).hasSize(1);
        assertThat(MaskingSpec.problemsInJson(P, null)).hasSize(1);
    }

    @Test
    void problems_refuseATableListedTwice_flatAndNested() {
        assertThat(MaskingSpec.problems(P, Map.of("tables", Map.of("public.t", Map.of("columns", Map.of("a", "hash"))),
                "tables.public.t.columns.a", "keep")))
                .containsExactly(P + ".tables.public.t.columns.a: is listed twice; keep one entry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"customers; DROP TABLE x", "a\"b", "`x`", "t--", "1abc", "x y", "sch.tab.extra",
            "caf\u00e9", "\u0000", "name\u202e", "very_long_name_that_goes_on_and_on_and_on_beyond_what_postgres_allows_x"})
    void problems_refuseIdentifiersThatAreNotPlain(String name) {
        List<String> asTable = MaskingSpec.problemsInJson(P, "{\"tables\": {\"" + json(name)
                + "\": {\"columns\": {\"email\": \"hash\"}}}}");
        List<String> asColumn = MaskingSpec.problemsInJson(P, "{\"tables\": {\"public.t\": {\"columns\": {\""
                + json(name) + "\": \"hash\"}}}}");
        List<String> asKey = MaskingSpec.problemsInJson(P, "{\"tables\": {\"public.t\": {\"primary-key\": \""
                + json(name) + "\", \"columns\": {\"email\": \"hash\"}}}}");

        // a dotted name reads as schema.table.<setting>, refused as an unknown setting
        assertThat(asTable).isNotEmpty().allSatisfy(p -> assertThat(p).containsAnyOf("is not a plain identifier",
                "is not a table setting").doesNotContain("\u0000").doesNotContain("\u202e"));
        assertThat(asColumn).isNotEmpty().allSatisfy(p -> assertThat(p).containsAnyOf("not a plain identifier",
                "is not a column"));
        assertThat(asKey).isNotEmpty().allSatisfy(p -> assertThat(p).contains("is not a column name"));
        assertThatThrownBy(() -> TableName.of("public", name)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String json(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e || c == '"' || c == '\\'
                ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }

    @Test
    void problemsInJson_explainsJsonThatDoesNotParse() {
        assertThat(MaskingSpec.problemsInJson(P, "{\"tables\": ")).singleElement().asString()
                .startsWith(P + ": is not valid JSON");
        assertThat(MaskingSpec.problemsInJson(P, "[1]")).singleElement().asString()
                .isEqualTo(P + ": is JSON but not an object; write {\"tables\": {...}}");
    }

    @Test
    void quoting_escapesEvenNamesReadFromTheCatalog() {
        assertThat(Identifiers.quotePostgres("we\"ird")).isEqualTo("\"we\"\"ird\"");
        assertThat(Identifiers.quoteMysql("we`ird")).isEqualTo("`we``ird`");
        assertThatThrownBy(() -> Identifiers.quotePostgres("a\u0000b")).isInstanceOf(IllegalArgumentException.class);
    }
}
