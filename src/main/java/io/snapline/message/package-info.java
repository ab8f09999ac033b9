/**
 * The messages Snapline reads, parsed once at the edge: {@link io.snapline.message.MessageParser} turns
 * each SQS body into one {@link io.snapline.message.SnaplineMessage} through one reader per envelope;
 * {@link io.snapline.message.Arn} and {@link io.snapline.message.SafeText} are the value types the rest
 * of the service uses on message content. Depends on nothing of Snapline's and on no AWS SDK: only
 * Jackson and {@code jakarta.inject}.
 */
package io.snapline.message;
