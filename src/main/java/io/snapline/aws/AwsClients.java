package io.snapline.aws;

import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3control.S3ControlClient;

/** The clients that act for one account ({@link io.snapline.gateway.AwsAccess}). */
public record AwsClients(RdsClient rds, S3Client s3, S3ControlClient s3Control, GlueClient glue)
        implements AutoCloseable {

    @Override
    public void close() {
        rds.close();
        s3.close();
        s3Control.close();
        glue.close();
    }
}
