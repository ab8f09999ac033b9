package io.snapline.masking;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** What the masking needs to know of the live database: the tables a specification names, and the foreign keys. */
record LiveSchema(String defaultSchema, Map<TableName, LiveTable> tables, Map<TableName, List<TableName>> nearMisses,
                  List<ForeignKey> foreignKeys) {

    /**
     * One column.
     *
     * @param type      the column's type as SQL (PostgreSQL {@code format_type}, MySQL {@code COLUMN_TYPE})
     * @param text      a character type (char, varchar, text and kin)
     * @param maxLength the longest value in characters, when bounded
     * @param integer   an integer type usable as a range key
     * @param generated a generated column (cannot be written)
     */
    record LiveColumn(String name, String type, boolean text, OptionalInt maxLength, boolean nullable,
                      boolean generated, boolean integer) {
    }

    /**
     * One table.
     *
     * @param name            with its schema, spelled as the catalog spells it
     * @param columns         by name as the catalog spells it, in column order
     * @param primaryKey      the single integer primary-key column, if the table has one
     * @param uniqueColumns   columns with a single-column unique index (the primary key included)
     * @param updateTriggers  triggers that an UPDATE would fire during masking
     * @param estimatedRows   the catalog's estimate, for ordering work
     */
    record LiveTable(TableName name, Map<String, LiveColumn> columns, Optional<String> primaryKey,
                     Set<String> uniqueColumns, List<String> updateTriggers, long estimatedRows) {

        /** The column by exact name, or (MySQL, whose column names are case-insensitive) ignoring case. */
        Optional<LiveColumn> column(String name, boolean caseInsensitive) {
            LiveColumn exact = columns.get(name);
            if (exact != null || !caseInsensitive) {
                return Optional.ofNullable(exact);
            }
            return columns.values().stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
        }
    }

    /** A foreign key: {@code child(childColumns)} references {@code parent(parentColumns)}, pairwise. */
    record ForeignKey(String name, TableName child, List<String> childColumns, TableName parent,
                      List<String> parentColumns) {
    }
}
