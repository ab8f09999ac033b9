package io.snapline.error;

import java.util.Locale;
import java.util.Optional;

/**
 * The AWS services Snapline calls, by the name their SDK clients put into
 * {@code AwsErrorDetails.serviceName()} and the name of their botocore model.
 */
public enum AwsService {
    RDS("Rds", "rds"),
    S3("S3", "s3"),
    S3_CONTROL("S3Control", "s3control"),
    GLUE("Glue", "glue"),
    SNS("Sns", "sns"),
    STS("Sts", "sts"),
    SQS("Sqs", "sqs"),
    DYNAMODB("DynamoDb", "dynamodb"),
    SECRETS_MANAGER("SecretsManager", "secretsmanager");

    private final String sdkName;
    private final String modelName;

    AwsService(String sdkName, String modelName) {
        this.sdkName = sdkName;
        this.modelName = modelName;
    }

    /** The service name as the SDK reports it in an error ({@code Rds}, {@code S3Control}, …). */
    public String sdkName() {
        return sdkName;
    }

    /** The botocore model's file name without {@code .json} ({@code rds}, {@code s3control}, …). */
    public String modelName() {
        return modelName;
    }

    /** The service an SDK error names, if it is one of ours (case-insensitive). */
    public static Optional<AwsService> ofSdkName(String serviceName) {
        if (serviceName == null) {
            return Optional.empty();
        }
        String wanted = serviceName.toLowerCase(Locale.ROOT).replace(" ", "");
        for (AwsService s : values()) {
            if (s.sdkName.toLowerCase(Locale.ROOT).equals(wanted) || s.modelName.equals(wanted)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
