package io.snapline.handler.export;

import io.snapline.message.Arn;
import io.snapline.message.SnapshotRef;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic export task identifiers: the same snapshot and policy always give the same id, so a
 * repeated start answers {@code ExportTaskAlreadyExists} instead of exporting twice, and the
 * finished-export handler and reconciliation recognise Snapline's tasks without any stored state.
 *
 * <p>Shape: {@code snapline-<policy>-<readable snapshot>-<hash>}, e.g.
 * {@code snapline-daily-orders-20240101-0000-1a2b3c4d} for {@code rds:orders-2024-01-01-00-00}.
 * The readable part becomes the top S3 folder; the 8-hex-digit hash of the full input
 * (policy and snapshot identifier) keeps distinct inputs distinct, because the readable part alone
 * is ambiguous (hyphens in policy names, {@code rds:} prefixes and other characters dropped).
 * AWS rules, enforced only by the server: starts with a letter; ASCII letters, digits and single
 * hyphens; no trailing hyphen; at most 60 characters.
 */
public final class ExportTaskIds {

    /** AWS's maximum export task identifier length. */
    public static final int MAX_LENGTH = 60;

    private static final Pattern VALID = Pattern.compile("^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-))*[a-zA-Z0-9]$");
    private static final Pattern AUTOMATED = Pattern.compile(
            "^(?:rds:)?(.+)-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})$");
    private static final int HASH_CHARS = 8;

    private ExportTaskIds() {
    }

    /** The export task id for a DB snapshot (its identifier, not ARN) under a policy. */
    public static String of(String policy, String snapshotIdentifier) {
        return of(policy, SnapshotRef.Scope.DB_SNAPSHOT, snapshotIdentifier);
    }

    /**
     * The export task id for a snapshot of the given scope under a policy. A DB snapshot and a
     * cluster snapshot may share an identifier, so the scope is part of the hashed input.
     */
    public static String of(String policy, SnapshotRef.Scope scope, String snapshotIdentifier) {
        // Length-prefixed, so no (policy, snapshot) pair can spell another pair.
        String scoped = scope == SnapshotRef.Scope.DB_SNAPSHOT ? snapshotIdentifier
                : scope.name() + ":" + snapshotIdentifier;
        String hash = hash(policy.length() + ":" + policy + scoped);
        String body = clean("snapline-" + clean(policy) + "-" + readable(snapshotIdentifier));
        int room = MAX_LENGTH - HASH_CHARS - 1;
        if (body.length() > room) {
            body = body.substring(0, room);
        }
        body = trimHyphens(body);
        return body + "-" + hash;
    }

    /** True when the id satisfies AWS's identifier rules. */
    public static boolean isValid(String id) {
        return id != null && id.length() <= MAX_LENGTH && VALID.matcher(id).matches();
    }

    /** The export task id of a snapshot or cluster named by its ARN. */
    public static String forArn(String policy, String arn) {
        return of(policy, ExportPipeline.scopeOf(arn).orElse(SnapshotRef.Scope.DB_SNAPSHOT), identifierFromArn(arn));
    }

    /**
     * The snapshot identifier named by a snapshot ARN ({@code arn:aws:rds:r:a:snapshot:rds:x} ->
     * {@code rds:x}), or the input when it is not an ARN.
     */
    public static String identifierFromArn(String arnOrIdentifier) {
        return Arn.parse(arnOrIdentifier).filter(a -> a.rdsScope().isPresent()).map(Arn::resourceId)
                .orElse(arnOrIdentifier);
    }

    /** {@code rds:orders-2024-01-01-00-00} -> {@code orders-20240101-0000}; others cleaned. */
    static String readable(String snapshotIdentifier) {
        String id = snapshotIdentifier == null ? "" : snapshotIdentifier;
        if (id.startsWith("awsbackup:")) {
            id = id.substring("awsbackup:".length());
        }
        Matcher m = AUTOMATED.matcher(id);
        if (m.matches()) {
            id = m.group(1) + "-" + m.group(2) + m.group(3) + m.group(4) + "-" + m.group(5) + m.group(6);
        }
        return clean(id);
    }

    /** Lower case; anything but a letter or digit becomes a hyphen; no double, leading or trailing hyphen. */
    private static String clean(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            char next = ok ? c : '-';
            if (next == '-' && (out.isEmpty() || out.charAt(out.length() - 1) == '-')) {
                continue;
            }
            out.append(next);
        }
        return trimHyphens(out.toString());
    }

    private static String trimHyphens(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(0, end);
    }

    private static String hash(String input) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JVM", e);
        }
    }
}
