package io.snapline.message;

/** Sizes as SQS counts them: UTF-8 bytes, not chars (a body of 400,000 euro signs is 1.2 MB). */
final class Utf8 {

    private Utf8() {
    }

    /** True when {@code s} is over {@code limit} UTF-8 bytes; counts only when the char count cannot decide. */
    static boolean exceeds(String s, int limit) {
        if (s.length() > limit) {
            return true;
        }
        if ((long) s.length() * 3 <= limit) {
            return false;
        }
        return length(s) > limit;
    }

    /** The UTF-8 length of a string as {@code String.getBytes(UTF_8)} would encode it. */
    static long length(String s) {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1; // an unpaired surrogate encodes as '?'
            } else {
                n += 3;
            }
        }
        return n;
    }
}
