package io.snapline.handler.clone;

import io.snapline.config.ClonePolicy;
import io.snapline.config.CloningProperties;
import io.snapline.error.NotReadyException;
import io.snapline.error.PermanentProcessingException;
import io.snapline.gateway.AwsAccess;
import io.snapline.gateway.CloneGateway;
import io.snapline.gateway.CloneGateway.DbCluster;
import io.snapline.gateway.CloneGateway.DbInstance;
import io.snapline.gateway.Gateways;
import io.snapline.gateway.SecretsGateway;
import io.snapline.gateway.SnapshotGateway;
import io.snapline.handler.Outcome;
import io.snapline.handler.step.Step;
import io.snapline.handler.step.StepResult;
import io.snapline.handler.step.StepRunner;
import io.snapline.ledger.Ledger;
import io.snapline.masking.ConnectionSource;
import io.snapline.masking.Flavour;
import io.snapline.masking.LedgerMaskingCheckpoints;
import io.snapline.masking.MaskingEngine;
import io.snapline.masking.MaskingResult;
import io.snapline.masking.MaskingSpec;
import io.snapline.masking.UnmaskedDataException;
import io.snapline.masking.Verification;
import io.snapline.message.SafeText;
import io.snapline.message.SnapshotRef;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The clone pipeline (issue 12, steps 1-4), one step after the other on the {@link StepRunner}, every
 * step keyed {@code clone#<cloneId>#<step>} so a repeated or re-checked request finds the earlier
 * steps ALREADY_DONE and carries on where it stopped:
 *
 * <ol>
 *   <li>{@code request}: the source is looked up (an Aurora cluster, or an instance and its newest
 *       available snapshot), the live-clone limit checked, the request recorded with its expiry;</li>
 *   <li>{@code create}: RestoreDBClusterToPointInTime (copy-on-write, latest restorable time) or
 *       RestoreDBInstanceFromDBSnapshot, tagged, with the masking security groups only;</li>
 *   <li>{@code instance} (Aurora): CreateDBInstance in the new cluster at the masking class, once the
 *       cluster is available;</li>
 *   <li>{@code available}: the instance is available;</li>
 *   <li>{@code mask}: the masking engine over JDBC with credentials from Secrets Manager;</li>
 *   <li>{@code verify}: the verification figure, recorded as {@code unmasked=0} only when it is zero;</li>
 *   <li>{@code resize}: ModifyDBInstance to the requested class;</li>
 *   <li>{@code rotate}: the clone's master password made its own (RDS-managed secret);</li>
 *   <li>{@code open}, {@code handover}: behind {@link HandOverGate}: the policy's security groups, then
 *       the notice with endpoint, port, secret ARN and expiry.</li>
 * </ol>
 * Waiting for RDS is a delayed re-check of the same command ({@link StepResult.Waiting}), never a
 * sleep. A step that fails permanently deletes what was created ({@link CloneCleanup}), records why in
 * the clone's pipeline and tells the requester, once.
 *
 * <p>Masking runs inside one delivery and may outlive the ledger lease of its step: another delivery
 * may then take the step over. That is safe: the engine claims every range in the ledger and marks it
 * done in the clone in the range's own transaction, so two runs never mask a range twice (the later
 * one waits, {@code MaskingBusyException}, retried), and the hand-over waits for the verify step.
 */
@Singleton
public class ClonePipeline {

    private static final Pattern TAG_VALUE = Pattern.compile("[^\\p{L}\\p{N} _.:/=+\\-@]");
    private static final Set<String> BROKEN = Set.of("failed", "incompatible-restore", "incompatible-parameters",
            "incompatible-network", "storage-full", "inaccessible-encryption-credentials", "restore-error",
            "incompatible-option-group", "inaccessible-encryption-credentials-recoverable");

    private final CloneGateway clones;
    private final SecretsGateway secrets;
    private final Gateways gateways;
    private final Ledger ledger;
    private final StepRunner runner;
    private final CloneStore store;
    private final HandOverGate gate;
    private final CloneNotifier notifier;
    private final CloneCleanup cleanup;
    private final CloningProperties cloning;
    private final CloneTime time;

    public ClonePipeline(CloneGateway clones, SecretsGateway secrets, Gateways gateways, Ledger ledger,
                         StepRunner runner, CloneStore store, HandOverGate gate, CloneNotifier notifier,
                         CloneCleanup cleanup, CloningProperties cloning, CloneTime time) {
        this.clones = clones;
        this.secrets = secrets;
        this.gateways = gateways;
        this.ledger = ledger;
        this.runner = runner;
        this.store = store;
        this.gate = gate;
        this.notifier = notifier;
        this.cleanup = cleanup;
        this.cloning = cloning;
        this.time = time;
    }

    /** Runs the pipeline of one request as far as it can go now. */
    public Outcome run(CloneRequest request) {
        String id = request.cloneId();
        ClonePolicy policy = request.policy();
        Outcome accepted = runner.run(Step.of(CloneStore.key(id, "request"), "clone-request", policy.name(), id, id,
                (step, reason) -> notifier.send(Optional.of(policy), request.responseUrl(), "clone-refused", id,
                        "Snapline: clone of " + request.source() + " refused: " + reason,
                        Map.of("source", request.source(), "reason", reason))),
                () -> accept(request));
        if (!goesOn(accepted)) {
            return accepted;
        }
        CloneRecord record = store.record(id).orElseThrow(() -> new IllegalStateException(
                "clone " + id + ": the request step is done but its record is unreadable"));
        return advance(record, policy);
    }

    private Outcome advance(CloneRecord r, ClonePolicy policy) {
        Outcome o = step(r, policy, "create", () -> create(r, policy));
        if (goesOn(o) && r.aurora()) {
            o = step(r, policy, "instance", () -> createInstance(r, policy));
        }
        if (goesOn(o)) {
            o = step(r, policy, "available", () -> available(r));
        }
        if (goesOn(o)) {
            o = step(r, policy, "mask", () -> mask(r, policy));
        }
        if (goesOn(o)) {
            o = step(r, policy, "verify", () -> verify(r, policy));
        }
        if (goesOn(o)) {
            o = step(r, policy, "resize", () -> resize(r));
        }
        if (goesOn(o)) {
            o = step(r, policy, "rotate", () -> rotate(r));
        }
        if (goesOn(o)) {
            o = step(r, policy, "open", () -> open(gate.require(r.id()), r, policy));
        }
        if (goesOn(o)) {
            o = step(r, policy, "handover", () -> handOver(gate.require(r.id()), r, policy));
        }
        if (!goesOn(o)) {
            return o;
        }
        return Outcome.done("clone " + r.id() + " of " + r.source() + " handed over to " + r.requestedBy()
                + ", expires " + r.expiresAt());
    }

    private Outcome step(CloneRecord r, ClonePolicy policy, String name, StepRunner.Body body) {
        return runner.run(Step.of(CloneStore.key(r.id(), name), "clone-" + name, policy.name(), r.id(), r.id(),
                (step, reason) -> failed(r, policy, step.name(), reason)), body);
    }

    private static boolean goesOn(Outcome o) {
        return o.status() == Outcome.Status.DONE || o.status() == Outcome.Status.ALREADY_DONE
                || o.status() == Outcome.Status.SKIPPED;
    }

    /** A step failed for good: delete what was created, record why, tell the requester. */
    private void failed(CloneRecord r, ClonePolicy policy, String step, String reason) {
        CloneCleanup.Deletion d = cleanup.delete(r.id(), policy.name(), step + " failed: " + reason);
        notifier.send(Optional.of(policy), Optional.ofNullable(r.responseUrl()), "clone-failed", r.id(),
                "Snapline: clone " + r.id() + " of " + r.source() + " failed at " + step + ": " + reason + ". "
                        + d.summary() + ".",
                Map.of("source", r.source(), "step", step, "reason", reason, "cleanup", d.summary()));
    }

    // ---------------------------------------------------------------- request

    private StepResult accept(CloneRequest q) {
        String id = q.cloneId();
        if (!CloneIds.valid(id) || !CloneIds.valid(CloneIds.clusterInstance(id))) {
            throw new IllegalStateException("clone id " + id + " is not a valid RDS identifier");
        }
        Optional<DbCluster> cluster = clones.cluster(q.source());
        String kind;
        String engine;
        String sourceClass;
        String snapshot = null;
        if (cluster.isPresent()) {
            DbCluster c = cluster.get();
            if (!c.aurora()) {
                throw new CloneRefusedException("source " + q.source() + " is a " + c.engine() + " DB cluster; only"
                        + " Aurora clusters are cloned (copy-on-write)");
            }
            kind = CloneRecord.CLUSTER;
            engine = c.engine();
            sourceClass = c.members().stream().map(clones::instance).flatMap(Optional::stream)
                    .map(DbInstance::instanceClass).findFirst().orElse(q.instanceClass());
        } else {
            DbInstance i = clones.instance(q.source()).orElseThrow(() -> new CloneRefusedException("unknown source "
                    + q.source() + ": no DB cluster or DB instance of that name in this account and region"));
            if (i.clusterId().isPresent()) {
                throw new CloneRefusedException("source " + q.source() + " is an instance of cluster "
                        + i.clusterId().get() + "; clone the cluster");
            }
            kind = CloneRecord.INSTANCE;
            engine = i.engine();
            sourceClass = i.instanceClass();
            snapshot = newestSnapshot(q.source()).orElseThrow(() -> new CloneRefusedException("source "
                    + q.source() + " has no available snapshot to restore a clone from"));
        }
        if (Flavour.ofRdsEngine(engine).isEmpty()) {
            throw new CloneRefusedException("source " + q.source() + " runs " + engine + "; only PostgreSQL and"
                    + " MySQL engines (Aurora included) can be masked");
        }
        long live = liveClonesOf(q.source(), id);
        if (live >= q.policy().maxClonesPerSource()) {
            throw new CloneRefusedException("source " + q.source() + " has " + live + " live clone(s) already; clone"
                    + " policy " + q.policy().name() + " allows " + q.policy().maxClonesPerSource()
                    + " (max-clones-per-source): delete one first");
        }
        Instant now = time.now();
        CloneRecord record = new CloneRecord(id, q.policy().name(), q.source(), kind, engine, snapshot, sourceClass,
                q.instanceClass(), q.requestedBy(), q.responseUrl().orElse(null), now.toString(),
                now.plus(q.ttl()).toString());
        return StepResult.done(CloneStore.json(record), "accepted: " + kind + " clone of " + q.source() + " for "
                + q.requestedBy() + " at " + q.instanceClass() + ", expires " + record.expiresAt());
    }

    private Optional<String> newestSnapshot(String instanceId) {
        AtomicReference<SnapshotGateway.SnapshotInfo> newest = new AtomicReference<>();
        gateways.snapshots(AwsAccess.DEFAULT).forEachSnapshot(SnapshotRef.Scope.DB_SNAPSHOT, Optional.of(instanceId),
                s -> {
                    if ("available".equals(s.status()) && instanceId.equals(s.sourceId()) && s.createTime() != null
                            && (newest.get() == null || s.createTime().isAfter(newest.get().createTime()))) {
                        newest.set(s);
                    }
                });
        return Optional.ofNullable(newest.get()).map(SnapshotGateway.SnapshotInfo::identifier);
    }

    private long liveClonesOf(String source, String except) {
        Set<String> ids = new HashSet<>();
        clones.clusters().stream().filter(c -> source.equals(c.tags().get(CloneGateway.TAG_CLONE_OF)))
                .map(c -> c.tags().get(CloneGateway.TAG_CLONE)).filter(t -> t != null && !t.equals(except)).forEach(ids::add);
        clones.instances().stream().filter(i -> source.equals(i.tags().get(CloneGateway.TAG_CLONE_OF)))
                .map(i -> i.tags().get(CloneGateway.TAG_CLONE)).filter(t -> t != null && !t.equals(except)).forEach(ids::add);
        return ids.size();
    }

    // ---------------------------------------------------------------- create

    /** The service's clone tags. */
    static Map<String, String> tags(CloneRecord r) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(CloneGateway.TAG_CLONE, r.id());
        tags.put(CloneGateway.TAG_CLONE_OF, r.source());
        tags.put(CloneGateway.TAG_REQUESTED_BY, tagValue(r.requestedBy()));
        tags.put(CloneGateway.TAG_EXPIRES_AT, r.expiresAt());
        tags.put(CloneGateway.TAG_POLICY, r.policy());
        return tags;
    }

    /** A value RDS takes as a tag value: letters, digits, spaces and {@code _.:/=+-@}, at most 256. */
    static String tagValue(String text) {
        String v = TAG_VALUE.matcher(text).replaceAll("_");
        return v.length() > 256 ? v.substring(0, 256) : v;
    }

    private String maskingClass(CloneRecord r, ClonePolicy policy) {
        return policy.maskingClassValue().orElse(r.sourceClass());
    }

    private StepResult create(CloneRecord r, ClonePolicy policy) {
        CloneGateway.CreateResult result;
        Map<String, String> existingTags;
        if (r.aurora()) {
            result = clones.restoreClusterClone(new CloneGateway.ClusterCloneRequest(r.id(), r.source(),
                    policy.subnetGroupValue(), policy.maskingSecurityGroups(), policy.clusterParameterGroupValue(),
                    tags(r)));
            existingTags = result == CloneGateway.CreateResult.CREATED ? Map.of()
                    : clones.cluster(r.id()).map(DbCluster::tags).orElse(Map.of());
        } else {
            result = clones.restoreInstance(new CloneGateway.InstanceRestoreRequest(r.id(), r.snapshot(),
                    maskingClass(r, policy), policy.subnetGroupValue(), policy.maskingSecurityGroups(),
                    policy.parameterGroupValue(), tags(r)));
            existingTags = result == CloneGateway.CreateResult.CREATED ? Map.of()
                    : clones.instance(r.id()).map(DbInstance::tags).orElse(Map.of());
        }
        String what = r.aurora() ? "copy-on-write clone of cluster " + r.source()
                : "instance restored from snapshot " + r.snapshot();
        if (result == CloneGateway.CreateResult.CREATED) {
            return StepResult.done("created", "created " + r.id() + ", " + what);
        }
        requireOurs(existingTags, r.id(), r.aurora() ? "DB cluster" : "DB instance");
        return StepResult.alreadyDone("exists", r.id() + " exists already (" + what + ")");
    }

    private static void requireOurs(Map<String, String> tags, String id, String what) {
        if (!CloneCleanup.ours(tags, id)) {
            throw new PermanentProcessingException("a " + what + " named " + id + " exists and is not this clone (no tag "
                    + CloneGateway.TAG_CLONE + "=" + id + "); it is left alone");
        }
    }

    private StepResult createInstance(CloneRecord r, ClonePolicy policy) {
        DbCluster c = clones.cluster(r.id()).orElseThrow(() -> new NotReadyException("cluster " + r.id()
                + " is not visible yet", cloning.recheckInterval()));
        if (!"available".equals(c.status())) {
            brokenIf(c.status(), "cluster " + r.id());
            return StepResult.waiting(cloning.recheckInterval(), "cluster " + r.id() + " is " + c.status()
                    + "; the instance is created once it is available");
        }
        String instanceId = r.instanceId();
        CloneGateway.CreateResult result = clones.createClusterInstance(new CloneGateway.ClusterInstanceRequest(
                instanceId, r.id(), maskingClass(r, policy), r.engine(), policy.parameterGroupValue(), tags(r)));
        if (result == CloneGateway.CreateResult.CREATED) {
            return StepResult.done("created", "created instance " + instanceId + " at " + maskingClass(r, policy));
        }
        requireOurs(clones.instance(instanceId).map(DbInstance::tags).orElse(Map.of()), r.id(), "DB instance");
        return StepResult.alreadyDone("exists", "instance " + instanceId + " exists already");
    }

    private static void brokenIf(String status, String what) {
        if (status != null && BROKEN.contains(status)) {
            throw new PermanentProcessingException(what + " is " + status + "; RDS could not make the clone");
        }
    }

    private DbInstance instance(CloneRecord r) {
        return clones.instance(r.instanceId()).orElseThrow(() -> new NotReadyException("instance " + r.instanceId()
                + " is not visible yet", cloning.recheckInterval()));
    }

    private StepResult available(CloneRecord r) {
        DbInstance i = instance(r);
        if ("available".equals(i.status())) {
            return StepResult.done("available", "instance " + i.id() + " is available at " + i.instanceClass());
        }
        brokenIf(i.status(), "instance " + i.id());
        return StepResult.waiting(cloning.recheckInterval(), "instance " + i.id() + " is " + i.status());
    }

    // ---------------------------------------------------------------- mask and verify

    private MaskingEngine engine(CloneRecord r, ClonePolicy policy) {
        Flavour flavour = Flavour.ofRdsEngine(r.engine()).orElseThrow(() -> new PermanentProcessingException(
                "engine " + r.engine() + " cannot be masked"));
        return new MaskingEngine(flavour, connections(r, policy, flavour), new LedgerMaskingCheckpoints(ledger),
                new MaskingEngine.Options(policy.maskingParallelism(), policy.maskingBatchRows()));
    }

    private ConnectionSource connections(CloneRecord r, ClonePolicy policy, Flavour flavour) {
        if (policy.localJdbcUrlValue().isPresent()) {
            // only in local mode or a dry run (start-up validation refuses it elsewhere)
            return ConnectionSource.of(policy.localJdbcUrlValue().get(), policy.localUser(), policy.localPassword());
        }
        DbInstance i = instance(r);
        String host = i.endpoint().orElseThrow(() -> new NotReadyException("instance " + i.id()
                + " has no endpoint yet", cloning.recheckInterval()));
        Optional<DbCluster> cluster = r.aurora() ? clones.cluster(r.id()) : Optional.empty();
        String database = policy.databaseValue().or(() -> cluster.flatMap(DbCluster::databaseName))
                .or(i::databaseName).orElseThrow(() -> new PermanentProcessingException("clone " + r.id()
                        + " names no database; set " + policy.key() + "database"));
        String secretId = credentialsSecret(r, policy, i);
        SecretsGateway.DbCredentials credentials = secrets.credentials(secretId);
        String url = cloning.tls() ? flavour.jdbcUrl(host, i.port(), database)
                : flavour.plainJdbcUrl(host, i.port(), database);
        return ConnectionSource.of(url, credentials.username(), credentials.password());
    }

    /** Aurora: the policy's secret or the source cluster's RDS-managed one; an instance: its own. */
    private String credentialsSecret(CloneRecord r, ClonePolicy policy, DbInstance clone) {
        if (r.aurora()) {
            return policy.credentialsSecretValue().or(() -> clones.cluster(r.source())
                    .flatMap(DbCluster::masterUserSecretArn)).orElseThrow(() -> new PermanentProcessingException(
                    "source cluster " + r.source() + " has no RDS-managed master secret; set " + policy.key()
                            + "credentials-secret"));
        }
        if (!clone.masterUserSecretStatus().map("active"::equals).orElse(false)) {
            throw new NotReadyException("the master secret of " + clone.id() + " is not active yet",
                    cloning.recheckInterval());
        }
        return clone.masterUserSecretArn().orElseThrow();
    }

    private StepResult mask(CloneRecord r, ClonePolicy policy) {
        MaskingSpec spec = MaskingSpec.parse(policy.key() + "masking", policy.masking());
        MaskingResult result = engine(r, policy).mask(r.id(), spec, store.maskKey(r.id()));
        return StepResult.done("masked rows=" + result.rowsMasked(), "masked " + result.rowsMasked() + " rows in "
                + result.tables().size() + " table(s) in " + result.elapsed().toMillis() + " ms");
    }

    private StepResult verify(CloneRecord r, ClonePolicy policy) {
        MaskingSpec spec = MaskingSpec.parse(policy.key() + "masking", policy.masking());
        Verification v = engine(r, policy).verify(r.id(), spec, store.maskKey(r.id()));
        if (v.unmasked() != 0 || !v.passed()) {
            throw new UnmaskedDataException(v);
        }
        return StepResult.done(HandOverGate.ZERO + ";" + SafeText.of(v.summary(), 500), v.summary());
    }

    // ---------------------------------------------------------------- resize, rotate, open, hand over

    private StepResult resize(CloneRecord r) {
        DbInstance i = instance(r);
        String wanted = r.instanceClass();
        if (wanted.equals(i.instanceClass()) && i.pendingInstanceClass().isEmpty() && "available".equals(i.status())) {
            return StepResult.done(wanted, "instance " + i.id() + " is at " + wanted);
        }
        brokenIf(i.status(), "instance " + i.id());
        if ("available".equals(i.status()) && i.pendingInstanceClass().isEmpty()) {
            clones.modifyInstance(new CloneGateway.InstanceModification(i.id(), Optional.of(wanted), Optional.empty(),
                    false));
            return StepResult.waiting(cloning.recheckInterval(), "resizing " + i.id() + " from " + i.instanceClass()
                    + " to " + wanted);
        }
        return StepResult.waiting(cloning.recheckInterval(), "instance " + i.id() + " is " + i.status()
                + i.pendingInstanceClass().map(c -> ", becoming " + c).orElse(""));
    }

    private StepResult rotate(CloneRecord r) {
        String asked = CloneStore.key(r.id(), "rotate-asked");
        boolean requested = ledger.operation(asked).map(o -> o.completed()).orElse(false);
        Optional<String> sourceSecret = r.aurora()
                ? clones.cluster(r.source()).flatMap(DbCluster::masterUserSecretArn) : Optional.empty();
        Optional<String> secret;
        Optional<String> status;
        if (r.aurora()) {
            DbCluster c = clones.cluster(r.id()).orElseThrow(() -> new PermanentProcessingException("cluster "
                    + r.id() + " is gone"));
            secret = c.masterUserSecretArn().filter(s -> sourceSecret.map(src -> !src.equals(s)).orElse(true));
            status = c.masterUserSecretStatus();
        } else {
            DbInstance i = instance(r);
            secret = i.masterUserSecretArn();
            status = i.masterUserSecretStatus();
        }
        if (!requested) {
            if (r.aurora()) {
                clones.modifyCluster(new CloneGateway.ClusterModification(r.id(), Optional.empty(), secret.isEmpty(),
                        secret.isPresent()));
            } else {
                clones.modifyInstance(new CloneGateway.InstanceModification(r.instanceId(), Optional.empty(),
                        Optional.empty(), true));
            }
            if (ledger.claim(asked, runner.lease(), true).status() == io.snapline.ledger.ClaimResult.Status.ACQUIRED) {
                ledger.complete(asked, "asked");
            }
            return StepResult.waiting(cloning.recheckInterval(), "rotating the master password of " + r.id()
                    + " into its own RDS-managed secret");
        }
        if (secret.isPresent() && status.map("active"::equals).orElse(false)) {
            return StepResult.done(secret.get(), "master password rotated; secret " + secret.get());
        }
        return StepResult.waiting(cloning.recheckInterval(), "the master secret of " + r.id() + " is "
                + status.orElse("not there yet"));
    }

    private StepResult open(VerifiedClone proof, CloneRecord r, ClonePolicy policy) {
        Map<String, String> groups = r.aurora()
                ? clones.cluster(r.id()).map(DbCluster::securityGroups).orElse(Map.of())
                : instance(r).securityGroups();
        Set<String> wanted = Set.copyOf(policy.securityGroups());
        if (groups.keySet().equals(wanted) && groups.values().stream().allMatch("active"::equals)) {
            return StepResult.done(String.join(",", policy.securityGroups()), "clone " + proof.cloneId()
                    + " reachable through " + String.join(", ", policy.securityGroups()) + " (" + proof.figure() + ")");
        }
        if (!groups.keySet().equals(wanted)) {
            if (r.aurora()) {
                clones.modifyCluster(new CloneGateway.ClusterModification(r.id(),
                        Optional.of(List.copyOf(policy.securityGroups())), false, false));
            } else {
                clones.modifyInstance(new CloneGateway.InstanceModification(r.instanceId(), Optional.empty(),
                        Optional.of(List.copyOf(policy.securityGroups())), false));
            }
        }
        return StepResult.waiting(cloning.recheckInterval(), "opening " + r.id() + " to " + String.join(", ", wanted));
    }

    private StepResult handOver(VerifiedClone proof, CloneRecord r, ClonePolicy policy) {
        LiveClone.Access access = access(proof, r);
        String arn = r.aurora() ? clones.cluster(r.id()).map(DbCluster::arn).orElseThrow()
                : instance(r).arn();
        clones.addTags(arn, Map.of(CloneGateway.TAG_HANDED_OVER, time.now().toString()));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", r.source());
        fields.put("requestedBy", r.requestedBy());
        fields.put("instanceClass", r.instanceClass());
        fields.put("endpoint", access.endpoint());
        fields.put("port", access.port());
        fields.put("secretArn", access.secretArn());
        fields.put("expiresAt", r.expiresAt());
        fields.put("verification", proof.figure());
        String where = notifier.send(Optional.of(policy), Optional.ofNullable(r.responseUrl()), "clone-ready", r.id(),
                "Snapline: clone " + r.id() + " of " + r.source() + " is ready for " + r.requestedBy() + ": "
                        + access.endpoint() + ":" + access.port() + ", credentials in " + access.secretArn()
                        + ", " + r.instanceClass() + ", expires " + r.expiresAt() + " (masked and verified)", fields);
        return StepResult.done("handed over", "handed over to " + r.requestedBy() + " via " + where);
    }

    /** The clone's connection details; only with the gate's proof. */
    LiveClone.Access access(VerifiedClone proof, CloneRecord r) {
        if (!proof.cloneId().equals(r.id())) {
            throw new IllegalArgumentException("the proof is for another clone");
        }
        if (r.aurora()) {
            DbCluster c = clones.cluster(r.id()).orElseThrow(() -> new PermanentProcessingException("cluster "
                    + r.id() + " is gone"));
            return new LiveClone.Access(c.endpoint().orElse(""), c.port(), c.masterUserSecretArn().orElse(""));
        }
        DbInstance i = instance(r);
        return new LiveClone.Access(i.endpoint().orElse(""), i.port(), i.masterUserSecretArn().orElse(""));
    }

    static Duration since(Instant from, Instant now) {
        return Duration.between(from, now);
    }
}
