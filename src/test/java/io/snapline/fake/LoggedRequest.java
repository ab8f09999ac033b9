package io.snapline.fake;

import java.util.Map;

/**
 * One request the fake received, for assertions.
 *
 * @param service     {@code rds}, {@code s3}, {@code s3control}, {@code glue}, {@code sns} or {@code sts}
 * @param operation   the AWS operation name, e.g. {@code StartExportTask}, {@code PutObjectAcl}
 * @param params      the request parameters: query-protocol form fields (minus Action/Version), Glue
 *                    top-level JSON fields, S3 bucket/key/query/{@code x-amz-acl}, S3 Control
 *                    account id and the job's main fields
 * @param accessKeyId the access key id the request was signed with (tells assumed-role calls apart)
 */
public record LoggedRequest(String service, String operation, Map<String, String> params, String accessKeyId) {

    public String param(String name) {
        return params.get(name);
    }
}
