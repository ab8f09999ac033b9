package io.snapline.handler.export;

import io.snapline.message.Arn;
import io.snapline.message.SnapshotRef;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic export task identifiers: the same snapshot and policy always give the same id, so a
 * repeated start answers {@code ExportTaskAlreadyExists} instead of exporting twice, and the
 * finished-export handler and reconciliation recognise Snapline's tasks without any stored state.
 *
 * <p>Shape: {@code snapline-<policy>-<readable snapshot>-<hash>}, e.g.
 * {@code snapline-daily-orders-20240101-0000-1a2b3c4d} for {@code rds:orders-2024-01-01-00-00}.
 * The readable part becomes the top S3 folder; the 8-hex-digit hash of the full input keeps distinct
 * inputs distinct, because the readable part alone is ambiguous (hyphens in policy names, {@code rds:}
 * prefixes and other characters dropped). The hashed input is the policy, the snapshot's scope and
 * identifier, <em>and its region and account</em>: the same snapshot name in two regions or accounts
 * (a cross-region copy keeps its name) must not collide ("already exists for another source").
 *
 * <p>Ids made before region and account were hashed ({@link #legacy}) are still recognised
 * ({@link #candidates}), so a task started before an upgrade is carried on, not dropped.
 *
 * <p>AWS rules, enforced only by the server: starts with a letter; ASCII letters, digits and single
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

    /**
     * The export task id of a snapshot of the given scope, region and account under a policy. Every
     * part is length-prefixed in the hashed input, so no tuple can spell another.
     */
    public static String of(String policy, SnapshotRef.Scope scope, String snapshotIdentifier, String region,
                            String account) {
        String input = String.join("", field(policy), field(scope.name()), field(snapshotIdentifier),
                field(region), field(account));
        return shaped(policy, snapshotIdentifier, input);
    }

    /** The export task id of a snapshot or cluster named by its ARN (its region and account included). */
    public static String forArn(String policy, String arn) {
        Optional<Arn> parsed = Arn.parse(arn);
        SnapshotRef.Scope scope = parsed.flatMap(Arn::rdsScope).orElse(SnapshotRef.Scope.DB_SNAPSHOT);
        return of(policy, scope, identifierFromArn(arn), parsed.map(Arn::region).orElse(""),
                parsed.map(Arn::account).orElse(""));
    }

    /**
     * The id Snapline gave before region and account were part of the hash (policy, scope and
     * identifier only): recognised so that tasks started before the upgrade are still ours.
     */
    public static String legacy(String policy, SnapshotRef.Scope scope, String snapshotIdentifier) {
        // Length-prefixed, so no (policy, snapshot) pair can spell another pair.
        String scoped = scope == SnapshotRef.Scope.DB_SNAPSHOT ? snapshotIdentifier
                : scope.name() + ":" + snapshotIdentifier;
        return shaped(policy, snapshotIdentifier, policy.length() + ":" + policy + scoped);
    }

    /** The legacy id of a snapshot or cluster named by its ARN. */
    public static String legacyForArn(String policy, String arn) {
        return legacy(policy, ExportPipeline.scopeOf(arn).orElse(SnapshotRef.Scope.DB_SNAPSHOT), identifierFromArn(arn));
    }

    /** The ids a task of this policy and source may have: the current one first, then the legacy one. */
    public static List<String> candidates(String policy, String arn) {
        return List.of(forArn(policy, arn), legacyForArn(policy, arn));
    }

    private static String field(String value) {
        String v = value == null ? "" : value;
        return v.length() + ":" + v;
    }

    private static String shaped(String policy, String snapshotIdentifier, String hashedInput) {
        String hash = hash(hashedInput);
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
