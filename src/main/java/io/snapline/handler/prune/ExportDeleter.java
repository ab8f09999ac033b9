package io.snapline.handler.prune;

import io.snapline.gateway.ObjectStoreGateway;
import io.snapline.gateway.ObjectStoreGateway.KeyError;

import java.util.ArrayList;
import java.util.List;

/**
 * Deletes every object under one export task folder: pages through ListObjectsV2 (≤1,000 keys a page)
 * and deletes each page with one DeleteObjects call, inspecting the per-key errors (DeleteObjects
 * answers HTTP 200 even when keys fail). The {@code export_info_<taskId>.json} marker is deleted last,
 * and only when everything else went, so a half-deleted export still looks like an export. Memory is
 * one page.
 */
public final class ExportDeleter {

    /** At most this many keys per DeleteObjects call (the S3 limit). */
    public static final int BATCH = 1000;

    /** What a folder deletion did; {@link #complete()} only when no key failed. */
    public record Result(long deleted, long failed, List<KeyError> firstErrors) {
        public Result {
            firstErrors = List.copyOf(firstErrors);
        }

        public boolean complete() {
            return failed == 0;
        }
    }

    private final ObjectStoreGateway objects;

    public ExportDeleter(ObjectStoreGateway objects) {
        this.objects = objects;
    }

    public Result deleteFolder(String bucket, String folder) {
        long[] deleted = {0};
        long[] failed = {0};
        List<KeyError> firstErrors = new ArrayList<>();
        List<String> markers = new ArrayList<>();
        objects.forEachPage(bucket, folder, page -> {
            List<String> keys = new ArrayList<>(page.size());
            for (ObjectStoreGateway.ObjectInfo o : page) {
                if (isMarker(o.key(), folder)) {
                    markers.add(o.key());
                } else {
                    keys.add(o.key());
                }
            }
            delete(bucket, keys, deleted, failed, firstErrors);
        });
        if (failed[0] == 0) {
            delete(bucket, markers, deleted, failed, firstErrors);
        }
        return new Result(deleted[0], failed[0], firstErrors);
    }

    private void delete(String bucket, List<String> keys, long[] deleted, long[] failed, List<KeyError> firstErrors) {
        for (int from = 0; from < keys.size(); from += BATCH) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
            ObjectStoreGateway.DeleteObjectsResult r = objects.deleteObjects(bucket, List.copyOf(batch));
            deleted[0] += r.deleted().size();
            failed[0] += r.errors().size();
            for (KeyError e : r.errors()) {
                if (firstErrors.size() < 10) {
                    firstErrors.add(e);
                }
            }
        }
    }

    /** True for the export root's {@code export_info_<taskId>.json}. */
    static boolean isMarker(String key, String folder) {
        String rest = key.substring(Math.min(key.length(), folder.length()));
        return rest.startsWith("export_info_") && rest.endsWith(".json") && rest.indexOf('/') < 0;
    }
}
