package io.snapline.ledger;

import java.io.ByteArrayOutputStream;

/**
 * A lossless byte form of any Java string: UTF-8, except that a lone surrogate is written as the
 * three bytes its code point would take (the "WTF-8" of the WHATWG). {@code String.getBytes(UTF_8)}
 * would turn it into {@code ?}, so two different strings would read back as one. Used where a
 * store holds bytes for a string it cannot hold as text.
 */
final class Wtf8 {

    private Wtf8() {
    }

    static byte[] encode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(++i));
            }
            if (cp < 0x80) {
                out.write(cp);
            } else if (cp < 0x800) {
                out.write(0xC0 | cp >> 6);
                out.write(0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                out.write(0xE0 | cp >> 12);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            } else {
                out.write(0xF0 | cp >> 18);
                out.write(0x80 | cp >> 12 & 0x3F);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            }
        }
        return out.toByteArray();
    }

    /** The string {@link #encode} was given; a byte sequence it cannot have written reads as U+FFFD. */
    static String decode(byte[] b) {
        StringBuilder out = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int lead = b[i] & 0xFF;
            int length = lead < 0x80 ? 1 : lead >= 0xC2 && lead < 0xE0 ? 2 : lead >= 0xE0 && lead < 0xF0 ? 3
                    : lead >= 0xF0 && lead < 0xF5 ? 4 : 0;
            int cp = length == 1 ? lead : length == 2 ? lead & 0x1F : length == 3 ? lead & 0x0F : lead & 0x07;
            boolean ok = length > 0 && i + length <= b.length;
            for (int k = 1; ok && k < length; k++) {
                int next = b[i + k] & 0xFF;
                ok = (next & 0xC0) == 0x80;
                cp = cp << 6 | next & 0x3F;
            }
            ok = ok && (length < 3 || cp >= (length == 3 ? 0x800 : 0x10000)) && cp <= 0x10FFFF;
            if (!ok) {
                out.append('\uFFFD');
                i++;
                continue;
            }
            out.appendCodePoint(cp);
            i += length;
        }
        return out.toString();
    }
}
