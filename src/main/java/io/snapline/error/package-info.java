/**
 * The two exception roots, the tables of AWS error codes per service ({@code AwsErrorCodes}: pure data)
 * and the one generic {@code FailureClassifier} that decides retry or give up. Sees the AWS SDK's
 * exception types only; nothing of {@code io.snapline.aws}.
 */
package io.snapline.error;
