package io.snapline.handler.prune;

import io.snapline.config.ExportRetentionProperties;
import io.snapline.gateway.ExportGateway;
import io.snapline.gateway.ExportGateway.ExportTask;
import io.snapline.gateway.ObjectStoreGateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds an export policy's export folders in S3. The prefix template's static part (before the first
 * <code>{</code>) is listed with {@code ObjectStoreGateway.childFolders} down to the depth at which the
 * template puts task folders ({@code <expanded prefix>/<taskId>/}; {@code {date}} counts as the three
 * levels {@code yyyy/MM/dd} it expands to). A leaf folder is Snapline's export
 * only if DescribeExportTasks knows a task with that id whose bucket and {@code <prefix>/<taskId>/}
 * folder are exactly this one; any other folder is left alone and counted as unrecognised.
 */
public final class ExportInventory {

    private final ObjectStoreGateway objects;
    private final ExportGateway exports;

    public ExportInventory(ObjectStoreGateway objects, ExportGateway exports) {
        this.objects = objects;
        this.exports = exports;
    }

    /** What the walk found. */
    public record Found(List<ExportTask> tasks, List<String> unrecognised, int unrecognisedCount) {
    }

    /**
     * Walks the policy's prefix and returns the recognised export tasks.
     *
     * @param listLimit at most this many unrecognised folders are listed (all are counted)
     */
    public Found walk(ExportRetentionProperties policy, int listLimit) {
        String template = policy.prefix();
        String folder;
        String partial;
        int levels;
        int brace = template.indexOf('{');
        if (brace < 0) {
            folder = asFolder(template);
            partial = "";
            levels = 1;
        } else {
            String staticPart = template.substring(0, brace);
            int slash = staticPart.lastIndexOf('/');
            folder = slash < 0 ? "" : staticPart.substring(0, slash + 1);
            partial = staticPart.substring(folder.length());
            // {date} expands to yyyy/MM/dd: three folder levels, not one.
            String rest = template.substring(folder.length()).replace("{date}", "yyyy/MM/dd");
            levels = (int) java.util.Arrays.stream(rest.split("/")).filter(s -> !s.isEmpty()).count() + 1;
        }
        List<ExportTask> tasks = new ArrayList<>();
        List<String> unrecognised = new ArrayList<>();
        int[] unrecognisedCount = {0};
        descend(policy.bucket(), folder, partial, levels, leaf -> {
            Optional<ExportTask> task = exports.exportTask(lastSegment(leaf))
                    .filter(t -> policy.bucket().equals(t.bucket()) && leaf.equals(t.s3Folder()));
            if (task.isPresent()) {
                tasks.add(task.get());
            } else {
                unrecognisedCount[0]++;
                if (unrecognised.size() < listLimit) {
                    unrecognised.add(leaf);
                }
            }
        });
        return new Found(tasks, unrecognised, unrecognisedCount[0]);
    }

    private void descend(String bucket, String folder, String partial, int levels, Consumer<String> leaf) {
        for (String child : objects.childFolders(bucket, folder)) {
            if (!child.startsWith(folder + partial)) {
                continue;
            }
            if (levels == 1) {
                leaf.accept(child);
            } else {
                descend(bucket, child, "", levels - 1, leaf);
            }
        }
    }

    static String asFolder(String prefix) {
        return prefix == null || prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/";
    }

    static String lastSegment(String folder) {
        String trimmed = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
