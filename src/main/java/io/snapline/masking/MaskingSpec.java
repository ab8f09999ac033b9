package io.snapline.masking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What to mask in a clone: tables, each either truncated or with a strategy per column, and an
 * optional integer key column to batch by. <b>Columns that are not listed are not touched.</b>
 *
 * <p>The configuration shape (what Micronaut binds YAML or JSON to, under e.g.
 * {@code snapline.clones.<policy>.masking}):
 * <pre>
 * tables:
 *   public.customers:              # schema.table, or table alone for the default schema
 *     primary-key: id              # optional: the integer column to batch by
 *     columns:
 *       email: fake:email
 *       full_name: fake:name
 *       phone: fake:phone
 *       street: fake:address
 *       tax_id: hash
 *       notes: "null"              # quote it in YAML, or YAML reads a null (which also means null)
 *       tier: constant:standard
 *       created_at: keep
 *   public.audit_log: truncate
 * </pre>
 * Dotted keys and nested maps mean the same ({@code tables.public.customers.columns.email} or
 * {@code tables: {public: {customers: ...}}}), since a configuration loader may deliver either.
 *
 * <p>{@link #problems} returns every problem at once, each naming the full configuration key and
 * its fix, for the start-up validator; {@link #parse} returns the specification or throws
 * {@link MaskingSpecException} with the same problems.
 */
public record MaskingSpec(List<TableSpec> tables) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PRIMARY_KEY_SPELLINGS = Set.of("primary-key", "primarykey", "primary_key");
    private static final Set<String> TABLE_KEYS = Set.of("columns", "truncate", "primary-key", "primarykey", "primary_key");

    public MaskingSpec {
        tables = List.copyOf(tables);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("a masking specification names at least one table");
        }
    }

    /**
     * One table of a specification.
     *
     * @param name       the table
     * @param truncate   true: every row is deleted ({@code TRUNCATE}); then {@code columns} is empty
     * @param primaryKey the integer column to batch by, when not the table's own single-column key
     * @param columns    column name to strategy, in specification order
     * @param configKey  the configuration key of this table, to name it in problems
     */
    public record TableSpec(TableName name, boolean truncate, Optional<String> primaryKey,
                            Map<String, Strategy> columns, String configKey) {

        public TableSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(primaryKey, "primaryKey");
            columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
            if (truncate == !columns.isEmpty()) {
                throw new IllegalArgumentException(name + ": a table is either truncated or has columns");
            }
            columns.keySet().forEach(c -> {
                if (!Identifiers.valid(c)) {
                    throw new IllegalArgumentException("bad column name " + Identifiers.printable(c));
                }
            });
            primaryKey.ifPresent(c -> {
                if (!Identifiers.valid(c)) {
                    throw new IllegalArgumentException("bad column name " + Identifiers.printable(c));
                }
            });
        }

        /** The configuration key of one column. */
        public String columnKey(String column) {
            return configKey + ".columns." + column;
        }

        /** True when at least one column is changed (not every column {@code keep}). */
        public boolean changesColumns() {
            return columns.values().stream().anyMatch(s -> s.kind() != Strategy.Kind.KEEP);
        }
    }

    /** The table with this name, if listed. */
    public Optional<TableSpec> table(TableName name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    // ------------------------------------------------------------------ parsing

    /** Every problem in a specification bound from configuration, each naming its key; empty when valid. */
    public static List<String> problems(String keyPrefix, Map<String, ?> raw) {
        return read(keyPrefix, raw).problems;
    }

    /** Every problem in a specification written as JSON (the same shape as the configuration). */
    public static List<String> problemsInJson(String keyPrefix, String json) {
        return readJson(keyPrefix, json).problems;
    }

    /**
     * The specification bound from configuration.
     *
     * @throws MaskingSpecException with every problem when it is not valid
     */
    public static MaskingSpec parse(String keyPrefix, Map<String, ?> raw) {
        return read(keyPrefix, raw).orThrow();
    }

    /** The specification written as JSON. @throws MaskingSpecException with every problem */
    public static MaskingSpec parseJson(String keyPrefix, String json) {
        return readJson(keyPrefix, json).orThrow();
    }

    private static Reading readJson(String keyPrefix, String json) {
        String prefix = keyPrefix == null ? "masking" : keyPrefix;
        Object tree;
        try {
            tree = json == null ? null : JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            Reading r = new Reading(prefix);
            r.problem(prefix, "is not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + "); write an object like {\"tables\": {\"public.customers\": {\"columns\": {\"email\": \"fake:email\"}}}}");
            return r;
        }
        if (tree != null && !(tree instanceof Map)) {
            Reading r = new Reading(prefix);
            r.problem(prefix, "is JSON but not an object; write {\"tables\": {...}}");
            return r;
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> map = (Map<String, ?>) tree;
        return read(prefix, map);
    }

    private static Reading read(String keyPrefix, Map<String, ?> raw) {
        String prefix = keyPrefix == null || keyPrefix.isBlank() ? "masking" : keyPrefix;
        Reading r = new Reading(prefix);
        if (raw == null || raw.isEmpty()) {
            r.problem(prefix + ".tables", "is missing: the masking specification is empty; list every table that holds"
                    + " personal data, e.g. " + prefix + ".tables.public.customers.columns.email: fake:email");
            return r;
        }
        Map<String, Object> tree = expand(prefix, raw, r);
        for (String key : tree.keySet()) {
            if (!key.equals("tables")) {
                r.problem(prefix + "." + Identifiers.printable(key), "is not a masking setting; the specification has"
                        + " one key, tables");
            }
        }
        Object tables = tree.get("tables");
        if (!(tables instanceof Map<?, ?> tableMap) || tableMap.isEmpty()) {
            r.problem(prefix + ".tables", "is missing or empty: the masking specification is empty; list every table"
                    + " that holds personal data, e.g. " + prefix + ".tables.public.customers.columns.email: fake:email");
            return r;
        }
        for (Map.Entry<?, ?> e : tableMap.entrySet()) {
            String name = String.valueOf(e.getKey());
            String key = prefix + ".tables." + Identifiers.printable(name);
            if (isTableEntry(e.getValue())) {
                r.table(Optional.empty(), name, key, e.getValue());
            } else if (e.getValue() instanceof Map<?, ?> schemaMap && !schemaMap.isEmpty()) {
                for (Map.Entry<?, ?> t : schemaMap.entrySet()) {
                    String table = String.valueOf(t.getKey());
                    r.table(Optional.of(name), table, key + "." + Identifiers.printable(table), t.getValue());
                }
            } else {
                r.problem(key, "is not a table: give it columns (" + key + ".columns.<column>: <strategy>) or the"
                        + " value truncate");
            }
        }
        return r;
    }

    private static boolean isTableEntry(Object value) {
        if (value instanceof String s) {
            return true;
        }
        if (value instanceof Map<?, ?> m) {
            return m.keySet().stream().map(k -> String.valueOf(k).toLowerCase(Locale.ROOT)).anyMatch(TABLE_KEYS::contains);
        }
        return false;
    }

    /** Expands dotted keys into nested maps, so flat and nested configuration read the same. */
    private static Map<String, Object> expand(String prefix, Map<String, ?> raw, Reading r) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object value = e.getValue() instanceof Map<?, ?> m ? expand(prefix, stringKeys(m), r) : e.getValue();
            String[] parts = key.split("\\.", -1);
            Map<String, Object> at = out;
            StringBuilder path = new StringBuilder(prefix);
            for (int i = 0; i < parts.length; i++) {
                path.append('.').append(Identifiers.printable(parts[i]));
                if (i == parts.length - 1) {
                    Object existing = at.get(parts[i]);
                    if (existing == null && !at.containsKey(parts[i])) {
                        at.put(parts[i], value);
                    } else if (existing instanceof Map<?, ?> em && value instanceof Map<?, ?> vm) {
                        merge(path.toString(), castMap(em), castMap(vm), r);
                    } else {
                        r.problem(path.toString(), "is listed twice; keep one entry");
                    }
                } else {
                    Object next = at.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
                    if (!(next instanceof Map<?, ?>)) {
                        r.problem(path.toString(), "is listed twice; keep one entry");
                        break;
                    }
                    at = castMap((Map<?, ?>) next);
                }
            }
        }
        return out;
    }

    private static void merge(String path, Map<String, Object> into, Map<String, Object> from, Reading r) {
        for (Map.Entry<String, Object> e : from.entrySet()) {
            Object existing = into.get(e.getKey());
            String at = path + "." + Identifiers.printable(e.getKey());
            if (existing == null && !into.containsKey(e.getKey())) {
                into.put(e.getKey(), e.getValue());
            } else if (existing instanceof Map<?, ?> em && e.getValue() instanceof Map<?, ?> vm) {
                merge(at, castMap(em), castMap(vm), r);
            } else {
                r.problem(at, "is listed twice; keep one entry");
            }
        }
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** Collects tables and problems while reading. */
    private static final class Reading {
        final String prefix;
        final List<String> problems = new ArrayList<>();
        final List<TableSpec> tables = new ArrayList<>();
        final Map<String, String> seenTables = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        Reading(String prefix) {
            this.prefix = prefix;
        }

        void problem(String key, String text) {
            problems.add(key + ": " + text);
        }

        MaskingSpec orThrow() {
            if (!problems.isEmpty()) {
                throw new MaskingSpecException(problems);
            }
            return new MaskingSpec(tables);
        }

        void table(Optional<String> schema, String table, String key, Object value) {
            boolean ok = true;
            if (schema.isPresent() && !Identifiers.valid(schema.get())) {
                problem(key, "schema name " + Identifiers.printable(schema.get()) + " is not a plain identifier ("
                        + Identifiers.rule() + "); rename the key");
                ok = false;
            }
            if (!Identifiers.valid(table)) {
                problem(key, "table name " + Identifiers.printable(table) + " is not a plain identifier ("
                        + Identifiers.rule() + "); write schema.table");
                ok = false;
            }
            String qualified = schema.map(s -> s + ".").orElse("") + table;
            String earlier = seenTables.putIfAbsent(qualified, key);
            if (earlier != null) {
                problem(key, "the table is listed twice (also as " + earlier + "); keep one entry");
                ok = false;
            }
            boolean truncate = false;
            Optional<String> primaryKey = Optional.empty();
            Map<String, Strategy> columns = new LinkedHashMap<>();
            if (value instanceof String s) {
                if (s.strip().equalsIgnoreCase("truncate")) {
                    truncate = true;
                } else {
                    problem(key, "is '" + Identifiers.printable(s) + "'; a table's value is truncate, or its columns"
                            + " under " + key + ".columns");
                    ok = false;
                }
            } else if (value instanceof Map<?, ?> m) {
                Map<String, Object> entries = stringKeys(m);
                for (Map.Entry<String, Object> e : entries.entrySet()) {
                    String k = e.getKey().toLowerCase(Locale.ROOT);
                    String at = key + "." + Identifiers.printable(e.getKey());
                    if (k.equals("truncate")) {
                        Object v = e.getValue();
                        if (Boolean.TRUE.equals(v) || "true".equalsIgnoreCase(String.valueOf(v).strip())) {
                            truncate = true;
                        } else if (!(Boolean.FALSE.equals(v) || "false".equalsIgnoreCase(String.valueOf(v).strip()))) {
                            problem(at, "is '" + Identifiers.printable(String.valueOf(v)) + "'; write true or false");
                            ok = false;
                        }
                    } else if (PRIMARY_KEY_SPELLINGS.contains(k)) {
                        Object v = e.getValue();
                        if (v instanceof String pk && Identifiers.valid(pk.strip())) {
                            primaryKey = Optional.of(pk.strip());
                        } else {
                            problem(at, "is not a column name (" + Identifiers.rule() + "); name the integer column"
                                    + " to batch by, or leave it out to use the table's primary key");
                            ok = false;
                        }
                    } else if (k.equals("columns")) {
                        ok &= columns(key, e.getValue(), columns);
                    } else {
                        problem(at, "is not a table setting; use columns, truncate or primary-key");
                        ok = false;
                    }
                }
            } else {
                problem(key, "is not a table: give it columns or the value truncate");
                ok = false;
            }
            if (truncate && !columns.isEmpty()) {
                problem(key, "is both truncated and has columns; a truncated table has no rows left to mask, so"
                        + " remove " + key + ".columns or the truncate");
                ok = false;
            } else if (!truncate && columns.isEmpty() && ok) {
                problem(key + ".columns", "is missing or empty; list the table's columns with a strategy each ("
                        + Strategy.SPELLINGS + "), or write " + key + ": truncate");
                ok = false;
            }
            if (truncate && primaryKey.isPresent()) {
                problem(key, "is truncated, so primary-key has no use; remove it");
                ok = false;
            }
            if (ok) {
                tables.add(new TableSpec(new TableName(schema, table), truncate, primaryKey, columns, key));
            }
        }

        boolean columns(String tableKey, Object value, Map<String, Strategy> into) {
            String key = tableKey + ".columns";
            if (!(value instanceof Map<?, ?> m) || m.isEmpty()) {
                problem(key, "is missing or empty; list the table's columns with a strategy each ("
                        + Strategy.SPELLINGS + ")");
                return false;
            }
            boolean ok = true;
            Map<String, String> seen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, Object> e : stringKeys(m).entrySet()) {
                String column = e.getKey();
                String at = key + "." + Identifiers.printable(column);
                if (!Identifiers.valid(column)) {
                    problem(at, "column name " + Identifiers.printable(column) + " is not a plain identifier ("
                            + Identifiers.rule() + ")");
                    ok = false;
                    continue;
                }
                String earlier = seen.putIfAbsent(column, at);
                if (earlier != null) {
                    problem(at, "the column is listed twice (also as " + earlier + "); keep one entry");
                    ok = false;
                    continue;
                }
                Object v = e.getValue();
                if (v instanceof Map<?, ?>) {
                    problem(at, "is not a column: a column name is a plain identifier (" + Identifiers.rule()
                            + ") with a strategy as its value, e.g. " + key + ".email: fake:email");
                    ok = false;
                    continue;
                }
                Optional<Strategy> strategy = v == null ? Optional.of(Strategy.of(Strategy.Kind.NULL))
                        : v instanceof String s ? Strategy.parse(s) : Optional.empty();
                if (strategy.isEmpty()) {
                    String shown = "'" + Identifiers.printable(String.valueOf(v)) + "'";
                    String hint = v instanceof String s && s.strip().equalsIgnoreCase("truncate")
                            ? "; truncate is for a whole table: write " + tableKey + ": truncate" : "";
                    problem(at, "unknown strategy " + shown + "; use one of " + Strategy.SPELLINGS + hint);
                    ok = false;
                    continue;
                }
                into.put(column, strategy.get());
            }
            return ok;
        }
    }
}
