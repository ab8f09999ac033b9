package io.snapline.consumer;

import java.util.Random;

/**
 * Seeded hostile strings, the kinds a message can smuggle into a reason or a request id: lone
 * surrogates, NUL and other control characters, {@code U+FFFE}/{@code U+FFFF}, nothing at all,
 * blanks, line breaks, astral characters placed so a cut at any bound splits their pair, and
 * very long text. {@code of(n)} is the same string for the same {@code n}.
 */
final class HostileText {

    static final int KINDS = 10;

    private HostileText() {
    }

    static String of(int n) {
        Random random = new Random(n * 7919L + 17);
        String noise = noise(random, 1 + random.nextInt(60));
        return switch (n % KINDS) {
            case 0 -> noise + '\uD800' + noise;                          // lone high surrogate
            case 1 -> '\uDC00' + noise;                                    // lone low surrogate, leading
            case 2 -> "nul\u0000bell\u0007esc\u001Bdel\u007F" + noise;   // control characters
            case 3 -> noise + "\uFFFE\uFFFF";                              // non-characters
            case 4 -> random.nextBoolean() ? "" : " \t ";                  // nothing, or blanks
            case 5 -> "line one\nline two\r\nline three\u2028" + noise;   // line breaks
            case 6 -> "a" + "\uD83D\uDE00".repeat(2000 + random.nextInt(10)); // pairs across every cut
            case 7 -> randomUnits(random, 5_000 + random.nextInt(300_000)); // any UTF-16 unit, long
            case 8 -> noise + "\uD83D";                                    // a pair cut at the end
            default -> randomUnits(random, 1 + random.nextInt(200));
        };
    }

    private static String noise(Random random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(random.nextInt(4) == 0 ? "\uD83D\uDE00" : String.valueOf((char) ('a' + random.nextInt(26))));
        }
        return out.toString();
    }

    private static String randomUnits(Random random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) random.nextInt(0x10000));
        }
        return out.toString();
    }
}
