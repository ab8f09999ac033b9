package io.snapline.masking;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** SQL text with its parameters in order; {@link Bound} markers stand for a range's ends. */
final class Sql {

    /** A range end, bound when the statement runs. */
    enum Bound { LO, HI }

    private final StringBuilder text = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    Sql add(String sql) {
        text.append(sql);
        return this;
    }

    Sql param(Object value) {
        text.append('?');
        params.add(value);
        return this;
    }

    Sql addAll(Sql other) {
        text.append(other.text);
        params.addAll(other.params);
        return this;
    }

    String text() {
        return text.toString();
    }

    List<Object> params() {
        return params;
    }

    /** Binds the parameters, range ends from {@code lo} and {@code hi}. */
    void bind(PreparedStatement ps, Long lo, Long hi) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p == Bound.LO) {
                ps.setLong(i + 1, lo);
            } else if (p == Bound.HI) {
                ps.setLong(i + 1, hi);
            } else {
                ps.setString(i + 1, (String) p);
            }
        }
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
