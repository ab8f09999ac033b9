package io.snapline.handler.clone;

import io.snapline.config.ClonePolicy;
import io.snapline.gateway.CloneGateway;
import io.snapline.ledger.Ledger;
import io.snapline.ledger.StepState;
import io.snapline.message.SafeText;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deletes what a clone's pipeline created (its instance, then its cluster, no final snapshot) and
 * only that: a resource is deleted only when it carries this clone's {@link CloneGateway#TAG_CLONE}
 * tag. Used when a step fails permanently, by {@code delete} and by the reaper. A cluster RDS will not
 * delete yet (its instance still deleting) is re-tagged as expired and failed, so the next reap run
 * finishes it: nothing is left unaccounted for.
 */
@Singleton
public class CloneCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(CloneCleanup.class);

    private final CloneGateway clones;
    private final Ledger ledger;
    private final CloneTime time;

    public CloneCleanup(CloneGateway clones, Ledger ledger, CloneTime time) {
        this.clones = clones;
        this.ledger = ledger;
        this.time = time;
    }

    /** What a deletion did. {@code complete}: nothing of the clone is left (or deleting). */
    public record Deletion(List<String> deleted, List<String> pending, boolean complete) {
        public String summary() {
            return (deleted.isEmpty() ? "nothing left to delete" : "deleted " + String.join(", ", deleted))
                    + (pending.isEmpty() ? "" : "; left for the next reap run: " + String.join(", ", pending));
        }
    }

    /**
     * Deletes the clone's resources that carry its tag.
     *
     * @param cloneId the clone
     * @param why     recorded in the clone's pipeline as the reason
     */
    public Deletion delete(String cloneId, String policy, String why) {
        List<String> deleted = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        Optional<CloneGateway.DbCluster> cluster = clones.cluster(cloneId).filter(c -> ours(c.tags(), cloneId));
        List<String> instanceIds = new ArrayList<>();
        cluster.ifPresent(c -> instanceIds.addAll(c.members()));
        if (!instanceIds.contains(CloneIds.clusterInstance(cloneId))) {
            instanceIds.add(CloneIds.clusterInstance(cloneId));
        }
        if (!instanceIds.contains(cloneId)) {
            instanceIds.add(cloneId);
        }
        for (String instanceId : instanceIds) {
            Optional<CloneGateway.DbInstance> instance = clones.instance(instanceId);
            if (instance.isEmpty()) {
                continue;
            }
            if (!ours(instance.get().tags(), cloneId)) {
                LOG.warn("clone {}: instance {} does not carry the clone's tag {}={}; left alone", cloneId, instanceId,
                        CloneGateway.TAG_CLONE, cloneId);
                continue;
            }
            if (!"deleting".equals(instance.get().status())
                    && clones.deleteInstance(instanceId) == CloneGateway.DeleteResult.DELETED) {
                deleted.add("instance " + instanceId);
            }
        }
        if (cluster.isPresent() && !"deleting".equals(cluster.get().status())) {
            try {
                if (clones.deleteCluster(cloneId) == CloneGateway.DeleteResult.DELETED) {
                    deleted.add("cluster " + cloneId);
                }
            } catch (RuntimeException e) {
                pending.add("cluster " + cloneId + " (" + SafeText.of(e.getMessage(), 200) + ")");
                clones.addTags(cluster.get().arn(), Map.of(CloneGateway.TAG_EXPIRES_AT, time.now().toString(),
                        CloneGateway.TAG_STATE, CloneGateway.STATE_FAILED));
            }
        }
        Deletion d = new Deletion(deleted, pending, pending.isEmpty());
        ledger.recordStep(cloneId, cloneId, "clone-delete:" + policy, d.complete() ? StepState.DONE : StepState.WAITING,
                SafeText.of(why + ": " + d.summary(), 2000), true);
        LOG.info("clone {}: {} ({})", cloneId, d.summary(), SafeText.of(why, 500));
        return d;
    }

    /** True when the tags say the resource is this clone of the service's. */
    public static boolean ours(Map<String, String> tags, String cloneId) {
        return cloneId.equals(tags.get(CloneGateway.TAG_CLONE));
    }

    static String policyOf(Map<String, String> tags, ClonePolicy fallback) {
        return tags.getOrDefault(CloneGateway.TAG_POLICY, fallback == null ? "unknown" : fallback.name());
    }
}
