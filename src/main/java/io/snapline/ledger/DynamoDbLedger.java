package io.snapline.ledger;

import io.snapline.message.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The deployed ledger: one DynamoDB table, partition key {@code pk} (string), TTL attribute
 * {@code ttl} (epoch seconds).
 *
 * <p>Operation items ({@code pk = op#<stored key>}) carry {@code status} (IN_PROGRESS, DONE or
 * FAILED), {@code result}, {@code leaseUntil} (epoch ms) and {@code ttl}. A claim is one conditional
 * PutItem that succeeds when the item is absent, its lease has lapsed, or its TTL has passed
 * (DynamoDB deletes expired items lazily, so expiry is checked, not assumed).
 *
 * <p>Pipeline items ({@code pk = pipeline#<stored id>}) carry the snapshot identifier, first-seen and
 * updated times, and one attribute {@code step:<stored name>} per step ({@code state|epochMs|detail}),
 * written with a single UpdateItem so concurrent steps never overwrite each other. Each update
 * pushes the item's {@code ttl} to the completed-record TTL, so a pipeline nobody touches any more
 * leaves the table (and {@code /pipelines}, which scans it) after that time.
 *
 * <p><b>Hostile strings.</b> Keys, ids, identifiers and step names go through {@link LedgerKeys}: a
 * DynamoDB string is UTF-8, so a lone surrogate cannot be sent as itself (the two keys
 * {@code a\ud800} and {@code a\udbff} would become one item), and a partition key holds at most
 * 2,048 bytes (<a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html">DynamoDB
 * quotas</a>).
 * A result that is not well-formed text (a lone surrogate, or NUL) is stored as a binary attribute
 * holding its {@link Wtf8} bytes, so it reads back exactly; results are bounded by
 * {@link LedgerValues#MAX_RESULT_BYTES} and reasons and details by {@link LedgerValues}, so no item
 * passes DynamoDB's 400 KB.
 *
 * <p><b>Health.</b> Down from a call that fails (other than a failed condition, which is an answer)
 * until one succeeds again, with the error as the reason.
 */
public final class DynamoDbLedger implements Ledger {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbLedger.class);
    private static final String OP = "op#";
    private static final String PIPELINE = "pipeline#";
    private static final String STEP = "step:";
    private static final String ATTEMPTS = "attempts:";
    private static final String IN_PROGRESS = "IN_PROGRESS";
    private static final String DONE = "DONE";
    private static final String FAILED = "FAILED";
    /** The index that lists pipelines newest first: partition {@link #LISTED}, sort {@code updatedAt}. */
    public static final String LIST_INDEX = "pipelines-by-day";
    /** The index's partition attribute on pipeline items: {@code day#<UTC date of updatedAt>}. */
    public static final String LISTED = "listedDay";
    /** Items one page request reads at most (a rare filter stops here and answers a cursor). */
    static final int PAGE_READ_BUDGET = 2000;
    private static final java.time.format.DateTimeFormatter DAY = java.time.format.DateTimeFormatter.ISO_LOCAL_DATE
            .withZone(java.time.ZoneOffset.UTC);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration completedTtl;
    private final Clock clock;
    private final String store;
    private volatile LedgerHealth health;

    public DynamoDbLedger(DynamoDbClient dynamo, String table, Duration completedTtl, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.completedTtl = completedTtl;
        this.clock = clock;
        this.store = "DynamoDB table " + table;
        this.health = LedgerHealth.up(store, List.of());
    }

    /** Fails fast when the table is missing or unreachable, naming the key to fix. */
    public void verifyTable() {
        software.amazon.awssdk.services.dynamodb.model.TableDescription description;
        try {
            description = dynamo.describeTable(r -> r.tableName(table)).table();
        } catch (RuntimeException e) {
            throw new IllegalStateException("snapline.ledger.table: cannot use DynamoDB table '" + table + "' ("
                    + e.getMessage() + "); create it (partition key pk, string; TTL attribute ttl; global secondary "
                    + "index " + LIST_INDEX + ": partition key " + LISTED + ", string, sort key updatedAt, number, "
                    + "projection ALL) or set snapline.ledger.store=embedded for local runs", e);
        }
        boolean indexed = description.hasGlobalSecondaryIndexes() && description.globalSecondaryIndexes().stream()
                .anyMatch(i -> LIST_INDEX.equals(i.indexName()));
        if (!indexed) {
            throw new IllegalStateException("snapline.ledger.table: DynamoDB table '" + table + "' has no global "
                    + "secondary index " + LIST_INDEX + ", which lists pipelines newest first; add it (partition key "
                    + LISTED + ", string; sort key updatedAt, number; projection ALL), e.g. with the Terraform module's "
                    + "ledger table, or aws dynamodb update-table --table-name " + table + " --attribute-definitions "
                    + "AttributeName=" + LISTED + ",AttributeType=S AttributeName=updatedAt,AttributeType=N "
                    + "--global-secondary-index-updates '[{\"Create\":{\"IndexName\":\"" + LIST_INDEX
                    + "\",\"KeySchema\":[{\"AttributeName\":\"" + LISTED + "\",\"KeyType\":\"HASH\"},"
                    + "{\"AttributeName\":\"updatedAt\",\"KeyType\":\"RANGE\"}],\"Projection\":"
                    + "{\"ProjectionType\":\"ALL\"}}}]'");
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static AttributeValue opKey(String operationKey) {
        return s(OP + LedgerKeys.of(operationKey));
    }

    /** A value read back by code: as text when DynamoDB can hold it exactly, else as its WTF-8 bytes. */
    private static AttributeValue exact(String v) {
        return wellFormed(v) ? s(v) : AttributeValue.fromB(SdkBytes.fromByteArray(Wtf8.encode(v)));
    }

    /** No lone surrogate (which UTF-8 cannot carry) and no NUL (which some tools cut strings at). */
    private static boolean wellFormed(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null) {
            return null;
        }
        return v.s() != null ? v.s() : v.b() != null ? Wtf8.decode(v.b().asByteArray()) : null;
    }

    /** Runs one DynamoDB call, keeping {@link #health()} in step with how it went. */
    private <T> T call(String operation, Supplier<T> call) {
        try {
            T result = call.get();
            succeeded();
            return result;
        } catch (ConditionalCheckFailedException e) {
            succeeded();
            throw e;
        } catch (SdkException e) {
            failed(operation, e);
            throw e;
        }
    }

    private void succeeded() {
        if (!health.up()) {
            LOG.info("DynamoDB table {} answers again; the ledger is up", table);
            health = LedgerHealth.up(store, List.of());
        }
    }

    private void failed(String operation, SdkException e) {
        String problem = operation + " on DynamoDB table " + table + " failed: " + SafeText.of(e.getMessage(), 500);
        LedgerHealth before = health;
        health = LedgerHealth.down(store, problem, before.up() ? clock.instant() : before.since().orElse(clock.instant()),
                List.of());
        if (before.up()) {
            LOG.error("the ledger is down: {}; claims fail (the service reports DOWN) until a call succeeds", problem);
        }
    }

    @Override
    public LedgerHealth health() {
        return health;
    }

    @Override
    public ClaimResult claim(String operationKey, Duration lease, boolean retryFailed) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = Map.of(
                "pk", opKey(operationKey),
                "status", s(IN_PROGRESS),
                "updatedAt", n(now.toEpochMilli()),
                "leaseUntil", n(now.plus(lease).toEpochMilli()),
                "ttl", n(now.plus(lease).plus(completedTtl).getEpochSecond()));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":inProgress", s(IN_PROGRESS),
                ":nowMs", n(now.toEpochMilli()), ":nowSec", n(now.getEpochSecond())));
        String condition = "attribute_not_exists(pk) OR (#s = :inProgress AND leaseUntil < :nowMs) OR #t < :nowSec";
        if (retryFailed) {
            condition += " OR #s = :failed";
            values.put(":failed", s(FAILED));
        }
        String expression = condition;
        try {
            call("PutItem (claim)", () -> dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression(expression)
                    .expressionAttributeNames(Map.of("#s", "status", "#t", "ttl"))
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
            return ClaimResult.acquired();
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.hasItem() ? e.item() : getOperation(operationKey);
            String status = old == null ? null : text(old, "status");
            if (DONE.equals(status)) {
                return ClaimResult.alreadyDone(text(old, "result"));
            }
            if (FAILED.equals(status)) {
                return ClaimResult.failed(text(old, "result"));
            }
            long leaseUntil = old == null ? now.plus(lease).toEpochMilli() : num(old, "leaseUntil");
            return ClaimResult.inProgress(Instant.ofEpochMilli(leaseUntil));
        }
    }

    private Map<String, AttributeValue> getOperation(String key) {
        var response = call("GetItem", () -> dynamo.getItem(r -> r.tableName(table).key(Map.of("pk", opKey(key)))
                .consistentRead(true)));
        return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    @Override
    public void complete(String operationKey, String result) {
        finish(operationKey, DONE, LedgerValues.result(operationKey, result));
    }

    @Override
    public void fail(String operationKey, String reason) {
        finish(operationKey, FAILED, LedgerValues.reason(reason));
    }

    private void finish(String operationKey, String status, String result) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", opKey(operationKey));
        item.put("status", s(status));
        item.put("updatedAt", n(now.toEpochMilli()));
        item.put("ttl", n(now.plus(completedTtl).getEpochSecond()));
        if (result != null) {
            item.put("result", exact(result));
        }
        call("PutItem (" + status.toLowerCase() + ")", () -> dynamo.putItem(r -> r.tableName(table).item(item)));
    }

    @Override
    public void release(String operationKey) {
        try {
            call("DeleteItem (release)", () -> dynamo.deleteItem(r -> r.tableName(table)
                    .key(Map.of("pk", opKey(operationKey)))
                    .conditionExpression("#s = :inProgress")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":inProgress", s(IN_PROGRESS)))));
        } catch (ConditionalCheckFailedException e) {
            // already completed by someone, or gone: nothing to release
        }
    }

    @Override
    public Optional<OperationRecord> operation(String operationKey) {
        Map<String, AttributeValue> item = getOperation(operationKey);
        if (item == null) {
            return Optional.empty();
        }
        String status = text(item, "status");
        OperationRecord.State state = DONE.equals(status) ? OperationRecord.State.DONE
                : FAILED.equals(status) ? OperationRecord.State.FAILED : OperationRecord.State.IN_PROGRESS;
        Instant expires = state == OperationRecord.State.IN_PROGRESS ? Instant.ofEpochMilli(num(item, "leaseUntil"))
                : Instant.ofEpochSecond(num(item, "ttl"));
        if (!expires.isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(new OperationRecord(operationKey, state, Optional.ofNullable(text(item, "result")),
                Instant.ofEpochMilli(num(item, "updatedAt")), expires));
    }

    @Override
    public void recordStep(String pipelineId, String snapshotIdentifier, String step, StepState state, String detail,
                           boolean attempt) {
        Instant now = clock.instant();
        String name = LedgerKeys.of(step);
        String value = state.name() + "|" + now.toEpochMilli() + "|" + LedgerValues.detail(detail);
        Map<String, String> names = new HashMap<>(Map.of("#step", STEP + name, "#ttl", "ttl"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":v", s(value),
                ":ident", s(LedgerKeys.of(snapshotIdentifier)),
                ":now", n(now.toEpochMilli()), ":ttl", n(now.plus(completedTtl).getEpochSecond())));
        values.put(":day", s(day(now)));
        names.put("#listed", LISTED);
        String update = "SET #step = :v, identifier = :ident, updatedAt = :now, "
                + "firstSeen = if_not_exists(firstSeen, :now), #ttl = :ttl, #listed = :day";
        if (attempt) {
            update += " ADD #attempts :one";
            names.put("#attempts", ATTEMPTS + name);
            values.put(":one", n(1));
        }
        String expression = update;
        call("UpdateItem (step)", () -> dynamo.updateItem(r -> r.tableName(table)
                .key(Map.of("pk", s(PIPELINE + LedgerKeys.of(pipelineId))))
                .updateExpression(expression)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)));
    }

    @Override
    public Optional<Pipeline> pipeline(String idOrIdentifier) {
        Optional<Pipeline> found = find(LedgerKeys.of(idOrIdentifier));
        return found.isEmpty() && LedgerKeys.isDigested(idOrIdentifier) ? find(idOrIdentifier) : found;
    }

    private Optional<Pipeline> find(String stored) {
        var response = call("GetItem", () -> dynamo.getItem(r -> r.tableName(table)
                .key(Map.of("pk", s(PIPELINE + stored))).consistentRead(true)));
        if (response.hasItem() && !response.item().isEmpty()) {
            return Optional.of(toPipeline(response.item()));
        }
        return scanPipelines("identifier = :ident", Map.of(":ident", s(stored))).stream()
                .max(Comparator.comparing(Pipeline::updatedAt));
    }

    private static String day(Instant at) {
        return "day#" + DAY.format(at);
    }

    /**
     * Queries the {@link #LIST_INDEX} index one UTC day at a time, newest day first and newest item
     * first within a day, from the cursor's day (or today) back to the oldest day an item can still
     * be in (the completed-record TTL ago, as every update refreshes the TTL). Search and filter are
     * applied to the items read; a page stops after {@link #PAGE_READ_BUDGET} items and answers a
     * cursor, so a rare filter never reads the whole table in one request.
     */
    @Override
    public PipelinePage pipelines(PipelineQuery query) {
        Optional<PipelineCursor> after = query.cursor().map(PipelineCursor::require);
        Instant now = clock.instant();
        java.time.LocalDate newest = java.time.LocalDate.ofInstant(after.map(PipelineCursor::updatedAt).orElse(now),
                java.time.ZoneOffset.UTC);
        java.time.LocalDate oldest = java.time.LocalDate.ofInstant(now.minus(completedTtl), java.time.ZoneOffset.UTC)
                .minusDays(1);
        List<Pipeline> found = new ArrayList<>();
        int read = 0;
        for (java.time.LocalDate d = newest; !d.isBefore(oldest); d = d.minusDays(1)) {
            String bucket = "day#" + d;
            Map<String, AttributeValue> start = after.filter(c -> bucket.equals(day(c.updatedAt())))
                    .map(c -> Map.of("pk", s(PIPELINE + c.id()), LISTED, s(bucket),
                            "updatedAt", n(c.updatedAt().toEpochMilli()))).orElse(null);
            do {
                var request = software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder().tableName(table)
                        .indexName(LIST_INDEX).keyConditionExpression("#listed = :day").scanIndexForward(false)
                        .expressionAttributeNames(Map.of("#listed", LISTED))
                        .expressionAttributeValues(Map.of(":day", s(bucket)))
                        .limit(Math.min(200, PAGE_READ_BUDGET - read));
                if (start != null) {
                    request.exclusiveStartKey(start);
                }
                var response = call("Query (" + LIST_INDEX + ")", () -> dynamo.query(request.build()));
                for (Map<String, AttributeValue> item : response.items()) {
                    read++;
                    Pipeline p = toPipeline(item);
                    if (query.matches(p)) {
                        found.add(p);
                        if (found.size() == query.limit()) {
                            return new PipelinePage(found, Optional.of(PipelineCursor.of(p).encode()));
                        }
                    }
                    if (read >= PAGE_READ_BUDGET) {
                        return new PipelinePage(found, Optional.of(PipelineCursor.of(p).encode()));
                    }
                }
                start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null;
            } while (start != null);
        }
        return new PipelinePage(found, Optional.empty());
    }

    private List<Pipeline> scanPipelines(String extraFilter, Map<String, AttributeValue> extraValues) {
        Map<String, AttributeValue> values = new HashMap<>(extraValues);
        values.put(":p", s(PIPELINE));
        String filter = "begins_with(pk, :p)" + (extraFilter == null ? "" : " AND " + extraFilter);
        List<Pipeline> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(table).filterExpression(filter)
                    .expressionAttributeValues(values);
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            ScanResponse page = call("Scan", () -> dynamo.scan(request.build()));
            page.items().forEach(item -> found.add(toPipeline(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return found;
    }

    private static Pipeline toPipeline(Map<String, AttributeValue> item) {
        List<Pipeline.Step> steps = new ArrayList<>();
        item.forEach((name, value) -> {
            if (name.startsWith(STEP) && value.s() != null) {
                String[] parts = value.s().split("\\|", 3);
                String stepName = name.substring(STEP.length());
                steps.add(new Pipeline.Step(stepName, StepState.valueOf(parts[0]),
                        Instant.ofEpochMilli(Long.parseLong(parts[1])), parts.length > 2 ? parts[2] : "",
                        (int) num(item, ATTEMPTS + stepName)));
            }
        });
        steps.sort(Comparator.comparing(Pipeline.Step::at).thenComparing(Pipeline.Step::name));
        return new Pipeline(item.get("pk").s().substring(PIPELINE.length()), text(item, "identifier"),
                Instant.ofEpochMilli(num(item, "firstSeen")), Instant.ofEpochMilli(num(item, "updatedAt")), steps);
    }
}
