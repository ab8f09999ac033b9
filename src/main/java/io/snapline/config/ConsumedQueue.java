package io.snapline.config;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * The consumed queue as SQS describes it, read once at start-up ({@code GetQueueAttributes}), so
 * that nothing Snapline does depends on a hand-configured copy of the queue's settings.
 *
 * <ul>
 * <li>{@code visibilityTimeout}: how long a received message stays invisible. Ledger claims lease
 *     for as long (a claim left by a dead process lapses when its message reappears), and the
 *     consumer's heartbeat extends in-flight messages by as much.</li>
 * <li>{@code maxReceiveCount}: the redrive policy's receive budget, if the queue has one; on the
 *     last receive a still-failing message is dead-lettered by Snapline, with its reason, before
 *     SQS would move it without one.</li>
 * <li>{@code maximumMessageSize}: the largest body the queue takes, in bytes.</li>
 * </ul>
 *
 * In local mode these are the values Snapline created its embedded queue with; with the consumer
 * disabled ({@code snapline.consumer.enabled=false}) no queue is read and they are local mode's.
 *
 * @see <a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html">GetQueueAttributes</a>
 */
public record ConsumedQueue(Duration visibilityTimeout, OptionalInt maxReceiveCount, int maximumMessageSize) {

    /** SQS's size limit for queues that do not say theirs (and local mode's): 256 KiB. */
    public static final int DEFAULT_MAXIMUM_MESSAGE_SIZE = 262_144;

    /** What local mode creates its queue with. */
    public static final int LOCAL_MAX_RECEIVE_COUNT = 5;

    /** The queue local mode creates from these settings (also the stand-in when no queue is consumed). */
    public static ConsumedQueue local(QueueProperties properties) {
        return new ConsumedQueue(properties.localVisibilityTimeout(), OptionalInt.of(LOCAL_MAX_RECEIVE_COUNT),
                DEFAULT_MAXIMUM_MESSAGE_SIZE);
    }

    /** A queue with the given visibility timeout and no redrive policy (tests, tools). */
    public static ConsumedQueue withVisibility(Duration visibilityTimeout) {
        return new ConsumedQueue(visibilityTimeout, OptionalInt.empty(), DEFAULT_MAXIMUM_MESSAGE_SIZE);
    }
}
