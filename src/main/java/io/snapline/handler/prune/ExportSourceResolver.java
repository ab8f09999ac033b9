package io.snapline.handler.prune;

import io.snapline.gateway.SnapshotGateway;
import io.snapline.message.Arn;
import io.snapline.message.SnapshotRef;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the DB instance or cluster an export's source ARN came from, so that exports are grouped per
 * source. A cluster ARN (Aurora direct export) names the source itself; a snapshot ARN is described
 * ({@code SnapshotGateway.describe}) for its source id; a snapshot that no longer exists falls back to
 * the automated-snapshot naming {@code rds:<source>-YYYY-MM-DD-HH-MM}; otherwise the source is
 * unknown and the export is protected. Answers are cached for one run.
 */
public final class ExportSourceResolver {

    private static final Pattern AUTOMATED = Pattern.compile("^rds:(.+)-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}$");

    private final SnapshotGateway snapshots;
    private final Map<String, Optional<String>> cache = new HashMap<>();

    public ExportSourceResolver(SnapshotGateway snapshots) {
        this.snapshots = snapshots;
    }

    public Optional<String> sourceOf(String sourceArn) {
        return cache.computeIfAbsent(sourceArn, this::resolve);
    }

    private Optional<String> resolve(String arn) {
        Optional<Arn> parsed = Arn.parse(arn);
        Optional<SnapshotRef.Scope> rdsScope = parsed.flatMap(Arn::rdsScope);
        if (rdsScope.isEmpty()) {
            return Optional.empty();
        }
        String id = parsed.get().resourceId();
        if (rdsScope.get() == SnapshotRef.Scope.CLUSTER) {
            return Optional.of(id);
        }
        SnapshotRef.Scope scope = rdsScope.get();
        Optional<String> described = snapshots.describe(scope, id).map(SnapshotGateway.SnapshotInfo::sourceId);
        if (described.isPresent()) {
            return described;
        }
        Matcher m = AUTOMATED.matcher(id);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
