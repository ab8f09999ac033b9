package io.snapline.masking;

import io.snapline.masking.LiveSchema.ForeignKey;
import io.snapline.masking.LiveSchema.LiveColumn;
import io.snapline.masking.LiveSchema.LiveTable;
import io.snapline.masking.MaskingSpec.TableSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A specification held against the live schema, before anything is changed. Every problem names the
 * table or column (by its configuration key) and the fix. What it refuses, and why:
 * <ul>
 * <li>a missing table or column (with the near miss when only the case differs);</li>
 * <li>a hash or fake on a non-text column, or on one too short for the mask; {@code null} on a NOT
 *     NULL column; a generated column (the database computes it);</li>
 * <li>a strategy that cannot keep a unique column unique ({@code constant}, and the fakes that repeat:
 *     name, phone, address);</li>
 * <li>a foreign key with a masked column on one side and a different strategy (or none) on the
 *     other: the join would break and the unmasked side would keep the personal data. The referencing
 *     side may be {@code null} instead. A truncated table still referenced by a table that is not;</li>
 * <li>triggers that would fire during masking (MySQL: any UPDATE trigger; PostgreSQL: triggers
 *     enabled ALWAYS), since they could copy the original values elsewhere;</li>
 * <li>a batching key that is not an integer NOT NULL column, or that is itself masked;</li>
 * <li>the same table listed twice (with and without its default schema), or the engine's own schema.</li>
 * </ul>
 */
final class SchemaCheck {

    private SchemaCheck() {
    }

    static List<String> problems(MaskingSpec spec, LiveSchema schema, Dialect dialect) {
        List<String> problems = new ArrayList<>();
        Map<TableName, TableSpec> byName = new HashMap<>();
        for (TableSpec t : spec.tables()) {
            TableName name = schema.defaultSchema() == null ? t.name() : t.name().inSchema(schema.defaultSchema());
            if (name.schema().isEmpty()) {
                problems.add(t.configKey() + ": the connection has no default schema (database); write schema.table");
                continue;
            }
            if (name.schema().get().equalsIgnoreCase(Dialect.PROGRESS_SCHEMA)) {
                problems.add(t.configKey() + ": " + Dialect.PROGRESS_SCHEMA + " is the masking engine's own schema;"
                        + " remove the entry");
                continue;
            }
            TableSpec earlier = byName.putIfAbsent(name, t);
            if (earlier != null) {
                problems.add(t.configKey() + ": names the same table as " + earlier.configKey() + " (" + name
                        + "); keep one entry");
                continue;
            }
            LiveTable live = schema.tables().get(name);
            if (live == null) {
                List<TableName> near = schema.nearMisses().getOrDefault(name, List.of());
                problems.add(t.configKey() + ": table " + name + " does not exist in the clone"
                        + (near.isEmpty() ? "; fix the name or remove the entry"
                        : "; did you mean " + near.get(0) + "? names are matched exactly, case included"));
                continue;
            }
            problems.addAll(table(t, live, dialect));
        }
        problems.addAll(foreignKeys(byName, schema, dialect));
        return problems;
    }

    private static List<String> table(TableSpec t, LiveTable live, Dialect dialect) {
        List<String> problems = new ArrayList<>();
        if (t.truncate()) {
            return problems;
        }
        Optional<String> key = Optional.empty();
        if (t.primaryKey().isPresent()) {
            Optional<LiveColumn> pk = live.column(t.primaryKey().get(), dialect.columnsIgnoreCase());
            String at = t.configKey() + ".primary-key";
            if (pk.isEmpty()) {
                problems.add(at + ": column " + t.primaryKey().get() + " does not exist in " + live.name()
                        + "; name an integer column of the table, or remove the setting");
            } else if (!pk.get().integer() || pk.get().nullable()) {
                problems.add(at + ": column " + pk.get().name() + " is " + pk.get().type()
                        + (pk.get().nullable() ? " and nullable" : "") + "; batching needs an integer NOT NULL column"
                        + " (remove the setting to mask the table in one statement)");
            } else {
                key = Optional.of(pk.get().name());
            }
        } else {
            key = live.primaryKey();
        }
        boolean changes = t.changesColumns();
        if (changes && !live.updateTriggers().isEmpty()) {
            problems.add(t.configKey() + ": " + live.name() + " has trigger(s) " + String.join(", ", live.updateTriggers())
                    + " that masking would fire (" + (dialect.flavour() == Flavour.MYSQL
                    ? "MySQL cannot turn UPDATE triggers off for a session"
                    : "enabled ALWAYS, so session_replication_role does not stop them")
                    + ") and that could copy the original values; drop or disable them on the clone first");
        }
        for (Map.Entry<String, Strategy> e : t.columns().entrySet()) {
            String at = t.columnKey(e.getKey());
            Strategy s = e.getValue();
            Optional<LiveColumn> found = live.column(e.getKey(), dialect.columnsIgnoreCase());
            if (found.isEmpty()) {
                Optional<LiveColumn> near = live.column(e.getKey(), true);
                problems.add(at + ": column " + e.getKey() + " does not exist in " + live.name()
                        + near.map(n -> "; did you mean " + n.name() + "? names are matched exactly, case included")
                        .orElse("; fix the name or remove the entry"));
                continue;
            }
            LiveColumn c = found.get();
            if (s.kind() == Strategy.Kind.KEEP) {
                continue;
            }
            if (c.generated()) {
                problems.add(at + ": " + c.name() + " is a generated column, which the database computes; mask the"
                        + " columns it is computed from and remove this entry");
                continue;
            }
            if (key.isPresent() && key.get().equals(c.name())) {
                problems.add(at + ": " + c.name() + " is the key the table is batched by and cannot be masked;"
                        + " use keep, or set " + t.configKey() + ".primary-key to another integer column");
            }
            if (s.kind().derivedFromHash()) {
                if (!c.text()) {
                    problems.add(at + ": " + s.spelling() + " writes text but " + c.name() + " is " + c.type()
                            + "; use null, constant:<value> or keep for it");
                } else if (c.maxLength().isPresent() && c.maxLength().getAsInt() < s.kind().maxOutputLength()) {
                    problems.add(at + ": " + s.spelling() + " writes up to " + s.kind().maxOutputLength()
                            + " characters but " + c.name() + " is " + c.type() + "; widen the column on the clone or"
                            + " use another strategy");
                }
            }
            if (s.kind() == Strategy.Kind.NULL && !c.nullable()) {
                problems.add(at + ": " + c.name() + " is NOT NULL, so it cannot be set to null; use"
                        + " constant:<value>, hash or a fake");
            }
            if (s.kind() == Strategy.Kind.CONSTANT && c.text() && c.maxLength().isPresent()
                    && s.constant().orElseThrow().codePointCount(0, s.constant().get().length()) > c.maxLength().getAsInt()) {
                problems.add(at + ": the constant is longer than " + c.name() + " (" + c.type() + "); shorten it");
            }
            if (live.uniqueColumns().contains(c.name()) && Set.of(Strategy.Kind.CONSTANT, Strategy.Kind.FAKE_NAME,
                    Strategy.Kind.FAKE_PHONE, Strategy.Kind.FAKE_ADDRESS).contains(s.kind())) {
                problems.add(at + ": " + c.name() + " has a unique index and " + s.spelling() + " repeats values; use"
                        + " hash or fake:email, which stay distinct");
            }
        }
        return problems;
    }

    private static List<String> foreignKeys(Map<TableName, TableSpec> specs, LiveSchema schema, Dialect dialect) {
        List<String> problems = new ArrayList<>();
        for (ForeignKey fk : schema.foreignKeys()) {
            TableSpec child = specs.get(fk.child());
            TableSpec parent = specs.get(fk.parent());
            if (child == null && parent == null) {
                continue;
            }
            if (parent != null && parent.truncate() && (child == null || !child.truncate())) {
                problems.add(parent.configKey() + ": " + fk.parent() + " is truncated but " + fk.child()
                        + " still references it (foreign key " + fk.name() + "); truncate " + fk.child() + " too, or"
                        + " mask " + fk.parent() + " column by column");
                continue;
            }
            if (child != null && child.truncate()) {
                continue;
            }
            for (int i = 0; i < fk.childColumns().size(); i++) {
                String childColumn = fk.childColumns().get(i);
                String parentColumn = fk.parentColumns().get(i);
                Strategy cs = strategy(child, childColumn, dialect);
                Strategy ps = strategy(parent, parentColumn, dialect);
                if (cs.sameMaskAs(ps)) {
                    continue;
                }
                if (cs.kind() == Strategy.Kind.NULL) {
                    continue;
                }
                String where = fk.child() + "." + childColumn + " references " + fk.parent() + "." + parentColumn
                        + " (foreign key " + fk.name() + ")";
                String key = child != null && cs.kind() != Strategy.Kind.KEEP ? child.columnKey(childColumn)
                        : parent != null ? parent.columnKey(parentColumn) : child.columnKey(childColumn);
                problems.add(key + ": " + where + "; the referenced column is " + ps.spelling()
                        + " and the referencing one " + cs.spelling() + ", so the keys would no longer match and the"
                        + " unmasked side would keep the original values; give both the same strategy (the"
                        + " referencing column may also be null)");
            }
        }
        return problems;
    }

    private static Strategy strategy(TableSpec spec, String column, Dialect dialect) {
        if (spec == null) {
            return Strategy.of(Strategy.Kind.KEEP);
        }
        return spec.columns().entrySet().stream()
                .filter(e -> dialect.columnsIgnoreCase() ? e.getKey().equalsIgnoreCase(column) : e.getKey().equals(column))
                .map(Map.Entry::getValue).findFirst().orElse(Strategy.of(Strategy.Kind.KEEP));
    }
}
