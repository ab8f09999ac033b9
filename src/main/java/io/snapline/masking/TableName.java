package io.snapline.masking;

import java.util.Objects;
import java.util.Optional;

/**
 * A table as a specification names it: {@code schema.table}, or {@code table} alone for the
 * connection's default schema (PostgreSQL's {@code current_schema()}, MySQL's current database).
 * Both parts are plain identifiers ({@link Identifiers#valid}).
 */
public record TableName(Optional<String> schema, String table) implements Comparable<TableName> {

    public TableName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        schema.ifPresent(s -> {
            if (!Identifiers.valid(s)) {
                throw new IllegalArgumentException("bad schema name " + Identifiers.printable(s));
            }
        });
        if (!Identifiers.valid(table)) {
            throw new IllegalArgumentException("bad table name " + Identifiers.printable(table));
        }
    }

    public static TableName of(String schema, String table) {
        return new TableName(Optional.of(schema), table);
    }

    /** The same table with its schema filled in when it had none. */
    public TableName inSchema(String defaultSchema) {
        return schema.isPresent() ? this : of(defaultSchema, table);
    }

    @Override
    public String toString() {
        return schema.map(s -> s + "." + table).orElse(table);
    }

    @Override
    public int compareTo(TableName o) {
        return toString().compareTo(o.toString());
    }
}
