package io.snapline.message;

/**
 * A problem found deep inside a recognised shape (a field of the wrong type, a name that is too
 * long); {@link MessageParser#parse} turns it into {@link Malformed}. An exception rather than a
 * return value so that field access stays one line at every call site; it has no stack trace, so it
 * costs no more than a return.
 */
final class BadMessage extends RuntimeException {

    BadMessage(String reason) {
        super(reason, null, false, false);
    }
}
