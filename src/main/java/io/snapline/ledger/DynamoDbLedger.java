package io.snapline.ledger;

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

/**
 * The deployed ledger: one DynamoDB table, partition key {@code pk} (string), TTL attribute
 * {@code ttl} (epoch seconds).
 *
 * <p>Operation items ({@code pk = op#<key>}) carry {@code status} (IN_PROGRESS or DONE),
 * {@code result}, {@code leaseUntil} (epoch ms) and {@code ttl}. A claim is one conditional
 * PutItem that succeeds when the item is absent, its lease has lapsed, or its TTL has passed
 * (DynamoDB deletes expired items lazily, so expiry is checked, not assumed).
 *
 * <p>Pipeline items ({@code pk = pipeline#<id>}) carry the snapshot identifier, first-seen and
 * updated times, and one attribute {@code step:<name>} per step ({@code state|epochMs|detail}),
 * written with a single UpdateItem so concurrent steps never overwrite each other. Each update
 * pushes the item's {@code ttl} to the completed-record TTL, so a pipeline nobody touches any more
 * leaves the table (and {@code /pipelines}, which scans it) after that time.
 */
public final class DynamoDbLedger implements Ledger {

    private static final String OP = "op#";
    private static final String PIPELINE = "pipeline#";
    private static final String STEP = "step:";
    private static final String ATTEMPTS = "attempts:";
    private static final String IN_PROGRESS = "IN_PROGRESS";
    private static final String DONE = "DONE";
    private static final String FAILED = "FAILED";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration completedTtl;
    private final Clock clock;

    public DynamoDbLedger(DynamoDbClient dynamo, String table, Duration completedTtl, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.completedTtl = completedTtl;
        this.clock = clock;
    }

    /** Fails fast when the table is missing or unreachable, naming the key to fix. */
    public void verifyTable() {
        try {
            dynamo.describeTable(r -> r.tableName(table));
        } catch (RuntimeException e) {
            throw new IllegalStateException("snapline.ledger.table: cannot use DynamoDB table '" + table + "' ("
                    + e.getMessage() + "); create it (partition key pk, string; TTL attribute ttl) or set "
                    + "snapline.ledger.store=embedded for local runs", e);
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    @Override
    public ClaimResult claim(String operationKey, Duration lease, boolean retryFailed) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = Map.of(
                "pk", s(OP + operationKey),
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
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression(expression)
                    .expressionAttributeNames(Map.of("#s", "status", "#t", "ttl"))
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return ClaimResult.acquired();
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.hasItem() ? e.item() : getOperation(operationKey);
            String status = old == null ? null : str(old, "status");
            if (DONE.equals(status)) {
                return ClaimResult.alreadyDone(str(old, "result"));
            }
            if (FAILED.equals(status)) {
                return ClaimResult.failed(str(old, "result"));
            }
            long leaseUntil = old == null ? now.plus(lease).toEpochMilli() : num(old, "leaseUntil");
            return ClaimResult.inProgress(Instant.ofEpochMilli(leaseUntil));
        }
    }

    private Map<String, AttributeValue> getOperation(String key) {
        var response = dynamo.getItem(r -> r.tableName(table).key(Map.of("pk", s(OP + key))).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    @Override
    public void complete(String operationKey, String result) {
        finish(operationKey, DONE, result);
    }

    @Override
    public void fail(String operationKey, String reason) {
        finish(operationKey, FAILED, reason);
    }

    private void finish(String operationKey, String status, String result) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(OP + operationKey));
        item.put("status", s(status));
        item.put("updatedAt", n(now.toEpochMilli()));
        item.put("ttl", n(now.plus(completedTtl).getEpochSecond()));
        if (result != null) {
            item.put("result", s(result));
        }
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    @Override
    public void release(String operationKey) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(Map.of("pk", s(OP + operationKey)))
                    .conditionExpression("#s = :inProgress")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":inProgress", s(IN_PROGRESS))));
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
        String status = str(item, "status");
        OperationRecord.State state = DONE.equals(status) ? OperationRecord.State.DONE
                : FAILED.equals(status) ? OperationRecord.State.FAILED : OperationRecord.State.IN_PROGRESS;
        Instant expires = state == OperationRecord.State.IN_PROGRESS ? Instant.ofEpochMilli(num(item, "leaseUntil"))
                : Instant.ofEpochSecond(num(item, "ttl"));
        if (!expires.isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(new OperationRecord(operationKey, state, Optional.ofNullable(str(item, "result")),
                Instant.ofEpochMilli(num(item, "updatedAt")), expires));
    }

    @Override
    public void recordStep(String pipelineId, String snapshotIdentifier, String step, StepState state, String detail,
                           boolean attempt) {
        Instant now = clock.instant();
        String value = state.name() + "|" + now.toEpochMilli() + "|" + (detail == null ? "" : detail);
        Map<String, String> names = new HashMap<>(Map.of("#step", STEP + step, "#ttl", "ttl"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":v", s(value), ":ident", s(snapshotIdentifier),
                ":now", n(now.toEpochMilli()), ":ttl", n(now.plus(completedTtl).getEpochSecond())));
        String update = "SET #step = :v, identifier = :ident, updatedAt = :now, "
                + "firstSeen = if_not_exists(firstSeen, :now), #ttl = :ttl";
        if (attempt) {
            update += " ADD #attempts :one";
            names.put("#attempts", ATTEMPTS + step);
            values.put(":one", n(1));
        }
        String expression = update;
        dynamo.updateItem(r -> r.tableName(table).key(Map.of("pk", s(PIPELINE + pipelineId)))
                .updateExpression(expression)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    @Override
    public Optional<Pipeline> pipeline(String idOrIdentifier) {
        var response = dynamo.getItem(r -> r.tableName(table).key(Map.of("pk", s(PIPELINE + idOrIdentifier)))
                .consistentRead(true));
        if (response.hasItem() && !response.item().isEmpty()) {
            return Optional.of(toPipeline(response.item()));
        }
        return scanPipelines("identifier = :ident", Map.of(":ident", s(idOrIdentifier))).stream()
                .max(Comparator.comparing(Pipeline::updatedAt));
    }

    @Override
    public List<Pipeline> pipelines(int limit) {
        return scanPipelines(null, Map.of()).stream()
                .sorted(Comparator.comparing(Pipeline::updatedAt).reversed().thenComparing(Pipeline::id))
                .limit(limit)
                .toList();
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
            ScanResponse page = dynamo.scan(request.build());
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
        return new Pipeline(item.get("pk").s().substring(PIPELINE.length()), str(item, "identifier"),
                Instant.ofEpochMilli(num(item, "firstSeen")), Instant.ofEpochMilli(num(item, "updatedAt")), steps);
    }
}
