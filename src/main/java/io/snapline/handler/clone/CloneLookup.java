package io.snapline.handler.clone;

import io.snapline.gateway.CloneGateway;
import io.snapline.gateway.CloneGateway.DbCluster;
import io.snapline.gateway.CloneGateway.DbInstance;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The service's clones as RDS holds them: the DB clusters and DB instances that carry the service's
 * clone tag ({@link CloneGateway#TAG_CLONE}) naming themselves (an Aurora clone: its cluster; an
 * instance clone: its instance). Resources without the tag are never a clone, whatever their name.
 */
@Singleton
public class CloneLookup {

    private final CloneGateway clones;

    public CloneLookup(CloneGateway clones) {
        this.clones = clones;
    }

    /** One clone's RDS resource and its tags. */
    public record Found(String id, boolean aurora, String arn, String status, String instanceClass,
                        Map<String, String> tags, Optional<java.time.Instant> createTime) {
        public String policy() {
            return tags.getOrDefault(CloneGateway.TAG_POLICY, "");
        }

        public Optional<java.time.Instant> expiresAt() {
            try {
                return Optional.ofNullable(tags.get(CloneGateway.TAG_EXPIRES_AT)).map(java.time.Instant::parse);
            } catch (java.time.format.DateTimeParseException e) {
                return Optional.empty();
            }
        }

        public boolean handedOver() {
            return tags.containsKey(CloneGateway.TAG_HANDED_OVER);
        }

        public boolean failed() {
            return CloneGateway.STATE_FAILED.equals(tags.get(CloneGateway.TAG_STATE));
        }
    }

    /** Every clone of the service, clusters first. */
    public List<Found> all() {
        Map<String, Found> out = new LinkedHashMap<>();
        Map<String, String> classes = new LinkedHashMap<>();
        List<DbInstance> instances = clones.instances();
        for (DbInstance i : instances) {
            i.clusterId().ifPresent(c -> classes.putIfAbsent(c, i.instanceClass()));
        }
        for (DbCluster c : clones.clusters()) {
            if (CloneCleanup.ours(c.tags(), c.id())) {
                out.put(c.id(), new Found(c.id(), true, c.arn(), c.status(), classes.getOrDefault(c.id(), ""), c.tags(),
                        c.createTime()));
            }
        }
        for (DbInstance i : instances) {
            if (i.clusterId().isEmpty() && CloneCleanup.ours(i.tags(), i.id())) {
                out.put(i.id(), new Found(i.id(), false, i.arn(), i.status(), i.instanceClass(), i.tags(),
                        i.createTime()));
            }
        }
        return new ArrayList<>(out.values());
    }

    /** One clone by id, if it is one of the service's. */
    public Optional<Found> find(String cloneId) {
        if (!CloneIds.valid(cloneId)) {
            return Optional.empty();
        }
        Optional<DbCluster> c = clones.cluster(cloneId).filter(x -> CloneCleanup.ours(x.tags(), cloneId));
        if (c.isPresent()) {
            String cls = c.get().members().stream().map(clones::instance).flatMap(Optional::stream)
                    .map(DbInstance::instanceClass).findFirst().orElse("");
            return Optional.of(new Found(cloneId, true, c.get().arn(), c.get().status(), cls, c.get().tags(),
                    c.get().createTime()));
        }
        return clones.instance(cloneId).filter(i -> i.clusterId().isEmpty() && CloneCleanup.ours(i.tags(), cloneId))
                .map(i -> new Found(cloneId, false, i.arn(), i.status(), i.instanceClass(), i.tags(), i.createTime()));
    }
}
