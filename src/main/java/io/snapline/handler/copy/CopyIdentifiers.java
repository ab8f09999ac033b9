package io.snapline.handler.copy;

import io.snapline.message.SnapshotRef;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The identifier of a copy in the destination region: a function of the policy's prefix and the source
 * snapshot's identifier, so a duplicate or retried event names the same copy, readable as
 * {@code <prefix>-<source snapshot identifier>}.
 *
 * <p>Valid by RDS's rules whatever the source text: an automated snapshot's {@code rds:} and an AWS Backup
 * snapshot's {@code awsbackup:} cannot be kept (a target identifier takes no {@code :}), so a source that
 * is not already a plain identifier, or too long to fit (255 characters for a DB snapshot, 63 for a
 * cluster snapshot), is cleaned (lower case, every run of other characters one hyphen) and cut, and a
 * 10-character hash of the whole source identifier ends it: {@code rds:orders-2026-12-02-02-00} becomes
 * {@code <prefix>-rds-orders-2026-12-02-02-00-h…}, which a manual snapshot named
 * {@code rds-orders-2026-12-02-02-00} (copied as {@code <prefix>-rds-orders-2026-12-02-02-00}) can never
 * take.
 */
public final class CopyIdentifiers {

    public static final int MAX_DB_SNAPSHOT = 255;
    public static final int MAX_CLUSTER_SNAPSHOT = 63;

    private static final Pattern VALID = Pattern.compile("[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*");
    private static final int HASH_CHARS = 10;

    private CopyIdentifiers() {
    }

    /** The copy's identifier. {@code prefix} must be valid already (start-up checks it). */
    public static String forSource(String prefix, String sourceIdentifier, SnapshotRef.Scope scope) {
        int max = scope == SnapshotRef.Scope.CLUSTER_SNAPSHOT ? MAX_CLUSTER_SNAPSHOT : MAX_DB_SNAPSHOT;
        String src = sourceIdentifier == null ? "" : sourceIdentifier;
        String plain = prefix + "-" + src;
        if (isValid(src) && plain.length() <= max) {
            return plain;
        }
        String hash = hash(src);
        int room = max - prefix.length() - hash.length() - 2;
        String cleaned = clean(src);
        if (cleaned.length() > room) {
            cleaned = cleaned.substring(0, Math.max(0, room)).replaceAll("-+$", "");
        }
        return prefix + "-" + (cleaned.isEmpty() ? "" : cleaned + "-") + hash;
    }

    /** True for a string RDS takes as an identifier (any length). */
    public static boolean isValid(String identifier) {
        return identifier != null && VALID.matcher(identifier).matches();
    }

    static String clean(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                b.append((char) c);
            } else if (c >= 'A' && c <= 'Z') {
                b.append((char) (c + 32));
            } else if (b.length() > 0 && b.charAt(b.length() - 1) != '-') {
                b.append('-');
            }
        });
        return b.toString().replaceAll("^-+|-+$", "");
    }

    private static String hash(String s) {
        try {
            byte[] units = new byte[s.length() * 2];
            for (int i = 0; i < s.length(); i++) {
                units[2 * i] = (byte) (s.charAt(i) >> 8);
                units[2 * i + 1] = (byte) s.charAt(i);
            }
            byte[] d = MessageDigest.getInstance("SHA-256").digest(units);
            return "h" + HexFormat.of().formatHex(d).substring(0, HASH_CHARS - 1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
