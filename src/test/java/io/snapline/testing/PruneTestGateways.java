package io.snapline.testing;

import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.BatchOperationsGateway;
import io.snapline.gateway.CrawlerGateway;
import io.snapline.gateway.ExportGateway;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.NotificationGateway;
import io.snapline.gateway.ObjectStoreGateway;
import io.snapline.gateway.SnapshotGateway;
import io.snapline.message.SnapshotRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Small in-memory implementations of the gateway interfaces for pruning's logic tests. They page like
 * the real services (100 snapshots, 1,000 objects a page), count the calls made, and keep the state a
 * test asserts on. The wire-protocol fakes replace them in the *IT tests.
 */
public final class PruneTestGateways implements Gateways {

    public final Snapshots snapshots = new Snapshots();
    public final Exports exports = new Exports();
    public final Objects objects = new Objects();
    public final Crawlers crawlers = new Crawlers();
    public final Notifications notifications = new Notifications();
    /** Every (gateway, access) asked for, e.g. {@code objects=arn:aws:iam::…:role/x}, in order. */
    public final List<String> accessRequests = new ArrayList<>();

    private void asked(String gateway, AwsAccess access) {
        accessRequests.add(gateway + "=" + access.roleArn().orElse("default"));
    }

    @Override
    public ExportGateway exports(AwsAccess access) {
        asked("exports", access);
        return exports;
    }

    @Override

    public io.snapline.gateway.SnapshotCreationGateway snapshotCreation(AwsAccess access) {
        throw new IllegalStateException("the prune tests create no snapshots");

    }


    @Override
    public String region() {
        return "us-east-1";
    }

    /** This double serves the service's region only: a test that reaches another region is wrong. */
    @Override
    public SnapshotGateway snapshotsIn(AwsAccess access, String region) {
        throw new AssertionError("this test double serves one region only, not " + region);
    }

    @Override
    public io.snapline.gateway.SnapshotCopyGateway snapshotCopies(AwsAccess access, String region) {
        throw new AssertionError("this test double makes no copies (asked for " + region + ")");
    }

    @Override
    public SnapshotGateway snapshots(AwsAccess access) {
        asked("snapshots", access);
        return snapshots;
    }

    @Override
    public ObjectStoreGateway objects(AwsAccess access, java.util.Optional<String> expectedBucketOwner) {
        asked("objects", access);
        expectedBucketOwner.ifPresent(owner -> accessRequests.add("objects-expected-owner=" + owner));
        return objects;
    }

    @Override
    public BatchOperationsGateway batchOperations(AwsAccess access) {
        throw new IllegalStateException("pruning does not use S3 Batch Operations");
    }

    @Override
    public CrawlerGateway crawlers(AwsAccess access) {
        asked("crawlers", access);
        return crawlers;
    }

    @Override
    public NotificationGateway notifications() {
        return notifications;
    }

    /** RDS snapshots, keyed by scope and identifier. */
    public static final class Snapshots implements SnapshotGateway {
        public final Map<String, SnapshotInfo> byKey = new TreeMap<>();
        public final List<String> deleted = new ArrayList<>();
        public final Set<String> failDeletes = new HashSet<>();
        public final AtomicInteger describePages = new AtomicInteger();
        public final AtomicInteger deleteCalls = new AtomicInteger();

        public void add(SnapshotInfo s) {
            byKey.put(s.scope() + "/" + s.identifier(), s);
        }

        public Collection<SnapshotInfo> all() {
            return byKey.values();
        }

        @Override
        public void forEachSnapshot(SnapshotRef.Scope scope, Optional<String> sourceId, Consumer<SnapshotInfo> consumer) {
            List<SnapshotInfo> matching = byKey.values().stream()
                    .filter(s -> s.scope() == scope)
                    .filter(s -> sourceId.map(id -> id.equalsIgnoreCase(s.sourceId())).orElse(true))
                    .toList();
            for (int from = 0; from == 0 || from < matching.size(); from += 100) {
                describePages.incrementAndGet();
                matching.subList(from, Math.min(matching.size(), from + 100)).forEach(consumer);
                if (matching.isEmpty()) {
                    break;
                }
            }
        }

        /** What describe answers instead of the listed snapshot (a snapshot that changed after it was listed). */
        public final Map<String, SnapshotInfo> describedAs = new HashMap<>();

        @Override
        public Optional<SnapshotInfo> describe(SnapshotRef.Scope scope, String identifier) {
            SnapshotInfo changed = describedAs.get(identifier);
            return Optional.ofNullable(changed != null ? changed : byKey.get(scope + "/" + identifier));
        }

        @Override
        public Optional<SnapshotInfo> find(SnapshotRef.Scope scope, String identifier, Optional<String> arn) {
            return describe(scope, identifier).filter(s -> arn.isEmpty() || arn.get().equals(s.arn()));
        }

        @Override
        public DeleteResult delete(SnapshotRef.Scope scope, String identifier) {
            deleteCalls.incrementAndGet();
            if (failDeletes.contains(identifier)) {
                throw new io.snapline.error.RetryableProcessingException("InvalidDBSnapshotState: " + identifier);
            }
            if (byKey.remove(scope + "/" + identifier) == null) {
                return DeleteResult.ALREADY_GONE;
            }
            deleted.add(identifier);
            return DeleteResult.DELETED;
        }
    }

    /** RDS export tasks by id. */
    public static final class Exports implements ExportGateway {
        public final Map<String, ExportTask> tasks = new LinkedHashMap<>();
        public final AtomicInteger describeCalls = new AtomicInteger();

        public void add(ExportTask t) {
            tasks.put(t.taskId(), t);
        }

        @Override
        public StartResult startExport(ExportRequest request) {
            throw new IllegalStateException("pruning does not start exports");
        }

        @Override
        public List<ExportTask> exportTasksForSource(String sourceArn) {
            describeCalls.incrementAndGet();
            return tasks.values().stream().filter(t -> t.sourceArn().equals(sourceArn)).toList();
        }

        @Override
        public Optional<ExportTask> exportTask(String taskId) {
            describeCalls.incrementAndGet();
            return Optional.ofNullable(tasks.get(taskId));
        }

        @Override
        public void forEachExportTask(Consumer<ExportTask> consumer) {
            describeCalls.incrementAndGet();
            List.copyOf(tasks.values()).forEach(consumer);
        }
    }

    /** S3: bucket → sorted keys. */
    public static final class Objects implements ObjectStoreGateway {
        public final Map<String, TreeSet<String>> buckets = new TreeMap<>();
        /** Keys whose deletion answers a per-key AccessDenied error. */
        public final Set<String> failKeys = new HashSet<>();
        public final AtomicInteger listCalls = new AtomicInteger();
        public final AtomicInteger deleteCalls = new AtomicInteger();
        public int largestDeleteBatch;

        public void put(String bucket, String key) {
            buckets.computeIfAbsent(bucket, b -> new TreeSet<>()).add(key);
        }

        public Set<String> keys(String bucket) {
            return buckets.getOrDefault(bucket, new TreeSet<>());
        }

        @Override
        public Optional<String> objectOwnership(String bucket) {
            return Optional.of("BucketOwnerEnforced");
        }

        @Override
        public OwnerCheck checkOwner(String bucket, String expectedBucketOwner) {
            return buckets.containsKey(bucket) ? OwnerCheck.OWNED : OwnerCheck.NO_SUCH_BUCKET;
        }

        @Override
        public void forEachPage(String bucket, String prefix, Consumer<List<ObjectInfo>> page) {
            String after = null;
            while (true) {
                listCalls.incrementAndGet();
                TreeSet<String> all = buckets.getOrDefault(bucket, new TreeSet<>());
                List<ObjectInfo> out = new ArrayList<>();
                for (String k : after == null ? all.tailSet(prefix, true) : all.tailSet(after, false)) {
                    if (!k.startsWith(prefix) || out.size() == 1000) {
                        break;
                    }
                    out.add(new ObjectInfo(k, 1, Instant.EPOCH));
                }
                if (out.isEmpty()) {
                    return;
                }
                after = out.get(out.size() - 1).key();
                page.accept(out);
                if (out.size() < 1000) {
                    return;
                }
            }
        }

        @Override
        public List<String> childFolders(String bucket, String prefix) {
            listCalls.incrementAndGet();
            Set<String> out = new TreeSet<>();
            for (String k : buckets.getOrDefault(bucket, new TreeSet<>()).tailSet(prefix, true)) {
                if (!k.startsWith(prefix)) {
                    break;
                }
                int slash = k.indexOf('/', prefix.length());
                if (slash >= 0) {
                    out.add(k.substring(0, slash + 1));
                }
            }
            return List.copyOf(out);
        }

        @Override
        public AclResult grantBucketOwnerFullControl(String bucket, String key) {
            throw new IllegalStateException("pruning does not rewrite ACLs");
        }

        @Override
        public DeleteObjectsResult deleteObjects(String bucket, List<String> keys) {
            if (keys.size() > 1000) {
                throw new IllegalArgumentException("DeleteObjects takes at most 1,000 keys, got " + keys.size());
            }
            deleteCalls.incrementAndGet();
            largestDeleteBatch = Math.max(largestDeleteBatch, keys.size());
            List<String> deleted = new ArrayList<>();
            List<KeyError> errors = new ArrayList<>();
            for (String k : keys) {
                if (failKeys.contains(k)) {
                    errors.add(new KeyError(k, "AccessDenied", "Access Denied"));
                } else {
                    buckets.getOrDefault(bucket, new TreeSet<>()).remove(k);
                    deleted.add(k);
                }
            }
            return new DeleteObjectsResult(deleted, errors);
        }
    }

    /** Glue crawlers: records starts. */
    public static final class Crawlers implements CrawlerGateway {
        public final List<String> started = new ArrayList<>();
        public final Set<String> running = new HashSet<>();
        /** When the running crawl of a crawler started (GetCrawler's last crawl start). */
        public final Map<String, Instant> lastStart = new HashMap<>();
        /** Thrown by the next start calls, one each, while any are left. */
        public final java.util.Deque<RuntimeException> failStarts = new java.util.ArrayDeque<>();
        public java.time.Clock clock = java.time.Clock.systemUTC();

        @Override
        public StartResult start(String crawlerName) {
            if (!failStarts.isEmpty()) {
                throw failStarts.pop();
            }
            started.add(crawlerName);
            if (running.add(crawlerName)) {
                lastStart.put(crawlerName, clock.instant());
                return StartResult.STARTED;
            }
            return StartResult.ALREADY_RUNNING;
        }

        /** The crawler's crawl ends: it is READY again. */
        public void finish(String crawlerName) {
            running.remove(crawlerName);
        }

        @Override
        public CrawlerInfo get(String crawlerName) {
            return new CrawlerInfo(crawlerName, running.contains(crawlerName) ? "RUNNING" : "READY",
                    Optional.empty(), Optional.ofNullable(lastStart.get(crawlerName)));
        }
    }

    /** SNS: records publishes. */
    public static final class Notifications implements NotificationGateway {
        public record Published(String topicArn, String subject, String body) {
        }

        public final List<Published> published = new ArrayList<>();
        /** When set, every publish throws it. */
        public RuntimeException failWith;

        @Override
        public void publish(String topicArn, String subject, String jsonBody) {
            if (failWith != null) {
                throw failWith;
            }
            published.add(new Published(topicArn, subject, jsonBody));
        }
    }
}
