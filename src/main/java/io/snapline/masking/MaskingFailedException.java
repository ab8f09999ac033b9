package io.snapline.masking;

import io.snapline.error.PermanentProcessingException;

import java.sql.SQLException;
import java.util.Set;

/**
 * The masking failed in a way a retry will not fix (a value the column refuses, a missing
 * privilege, a masking secret different from the one the clone was partly masked with). The clone
 * must not be handed over.
 */
public class MaskingFailedException extends PermanentProcessingException {

    /** SQLSTATE classes that pass: connection, transaction rollback, resources, operator intervention. */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57", "HY");

    public MaskingFailedException(String reason) {
        super(reason);
    }

    public MaskingFailedException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** The failure of {@code what} as the right one of the two roots, by the SQLSTATE's class. */
    static RuntimeException of(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String reason = what + ": " + e.getMessage() + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")");
        if (state.length() >= 2 && TRANSIENT_CLASSES.contains(state.substring(0, 2))
                || e instanceof java.sql.SQLTransientException || e instanceof java.sql.SQLRecoverableException) {
            return new MaskingBusyException(reason, e);
        }
        return new MaskingFailedException(reason, e);
    }
}
