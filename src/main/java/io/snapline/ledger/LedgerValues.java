package io.snapline.ledger;

import io.snapline.message.SafeText;

/**
 * The one rule by which every ledger store bounds and stores the values it is given, so that the
 * same input reads back the same from every store.
 *
 * <ul>
 *   <li><b>Results</b> ({@link Ledger#complete}) are read back by code (an export task id and the
 *       source it was started for, say), so they are stored exactly, whatever they hold (lone
 *       surrogates and NUL included), up to {@value #MAX_RESULT_BYTES} bytes of UTF-8 (a lone
 *       surrogate counted as 3). That holds anything one SQS message (256 KiB) can carry and fits a
 *       DynamoDB item (400 KB). A longer result is refused with an {@link IllegalArgumentException}
 *       before anything is written: a result that would not read back as written is not stored.</li>
 *   <li><b>Failure reasons</b> ({@link Ledger#fail}) and <b>step details</b> ({@link Ledger#recordStep})
 *       are text for people: they are stored as {@link SafeText#of SafeText.of(text, }{@value #MAX_TEXT_CHARS}{@code )},
 *       valid, single-line and bounded, so a pipeline item with many steps stays within DynamoDB's
 *       item size and a log line or notification that quotes them is safe.</li>
 *   <li>Keys, pipeline ids, snapshot identifiers and step names follow {@link LedgerKeys}.</li>
 * </ul>
 */
public final class LedgerValues {

    /** The most UTF-8 bytes a stored result may have. */
    public static final int MAX_RESULT_BYTES = 300_000;

    /** The most characters (before {@link SafeText}'s cut marker) a stored reason or detail keeps. */
    public static final int MAX_TEXT_CHARS = 4_000;

    private LedgerValues() {
    }

    /** A failure reason as every store keeps it. */
    public static String reason(String reason) {
        return reason == null ? null : SafeText.of(reason, MAX_TEXT_CHARS);
    }

    /** A step detail as every store keeps it ({@code null} is kept as empty). */
    public static String detail(String detail) {
        return SafeText.of(detail, MAX_TEXT_CHARS);
    }

    /**
     * Returns {@code result} when a store can keep it exactly.
     *
     * @throws IllegalArgumentException when it is longer than {@link #MAX_RESULT_BYTES}
     */
    public static String result(String operationKey, String result) {
        if (result != null) {
            int bytes = LedgerKeys.utf8Length(result);
            if (bytes > MAX_RESULT_BYTES) {
                throw new IllegalArgumentException("the result of " + SafeText.of(operationKey, 200) + " is " + bytes
                        + " bytes; a ledger result holds at most " + MAX_RESULT_BYTES
                        + " (store a reference to larger data instead)");
            }
        }
        return result;
    }
}
