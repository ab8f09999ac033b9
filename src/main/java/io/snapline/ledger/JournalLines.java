package io.snapline.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a journal into lines as bytes, so that a bad byte spoils one line and not the read of the
 * file. A line longer than the limit is reported as overlong (without its bytes) and reading goes on
 * after its end.
 */
final class JournalLines {

    /** One line: its 1-based number, its bytes (without the end of line) in {@code bytes[0, length)}. */
    @FunctionalInterface
    interface Handler {
        void line(int number, byte[] bytes, int length, boolean terminated, boolean overlong);
    }

    private JournalLines() {
    }

    static void read(InputStream in, int maxLineBytes, Handler handler) throws IOException {
        byte[] chunk = new byte[1 << 16];
        byte[] line = new byte[1 << 12];
        int length = 0;
        boolean overlong = false;
        int number = 0;
        boolean pending = false;
        int n;
        while ((n = in.read(chunk)) != -1) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] != '\n') {
                    continue;
                }
                int part = i - start;
                if (!overlong && length + part > maxLineBytes) {
                    overlong = true;
                }
                if (!overlong) {
                    line = append(line, length, chunk, start, part);
                    length += part;
                }
                handler.line(++number, line, overlong ? 0 : length, true, overlong);
                length = 0;
                overlong = false;
                pending = false;
                start = i + 1;
            }
            int rest = n - start;
            if (rest > 0) {
                pending = true;
                if (!overlong && length + rest > maxLineBytes) {
                    overlong = true;
                }
                if (!overlong) {
                    line = append(line, length, chunk, start, rest);
                    length += rest;
                }
            }
        }
        if (pending) {
            handler.line(++number, line, overlong ? 0 : length, false, overlong);
        }
    }

    private static byte[] append(byte[] line, int length, byte[] from, int offset, int count) {
        byte[] target = line;
        if (length + count > target.length) {
            target = Arrays.copyOf(target, Math.max(target.length * 2, length + count));
        }
        System.arraycopy(from, offset, target, length, count);
        return target;
    }
}
