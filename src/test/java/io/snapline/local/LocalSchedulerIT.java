package io.snapline.local;

import io.snapline.aws.FakeAwsFixture;
import io.snapline.config.SchedulingProperties;
import io.snapline.config.SnapshotSchedule;
import io.snapline.consumer.QueueTopology;
import io.snapline.message.Command;
import io.snapline.message.MessageParser;
import io.snapline.testing.EmbeddedSqs;
import io.snapline.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The local scheduler sends the ticks EventBridge Scheduler would, into a real (embedded) SQS queue. */
class LocalSchedulerIT {

    final EmbeddedSqs sqs = new EmbeddedSqs();
    final String queue = sqs.createQueueWithDlq("local-ticks", 30, 5)[0];
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T16:30:00Z")); // 01:30 JST

    @AfterEach
    void close() {
        sqs.close();
    }

    @Test
    void sendsEverySlotPassedSinceItLastLooked_onceEach_asTheParserReadsThem() {
        SnapshotSchedule tokyo = new SnapshotSchedule("twice-daily", List.of("orders-db"), "instance",
                "cron(0 2,14 * * ? *)", "Asia/Tokyo", "snapline-td", null, Duration.ofHours(6), null, null);
        LocalScheduler scheduler = new LocalScheduler(List.of(tokyo), SchedulingProperties.defaults(), sqs.client(),
                new QueueTopology(sqs.client(), FakeAwsFixture.queue(queue)), clock);

        assertThat(scheduler.look()).isZero(); // the first look only notes the time
        clock.advance(Duration.ofMinutes(29));
        assertThat(scheduler.look()).isZero(); // 01:59 JST
        clock.advance(Duration.ofMinutes(1));
        assertThat(scheduler.look()).isEqualTo(1); // 02:00 JST
        assertThat(scheduler.look()).isZero();
        clock.advance(Duration.ofDays(1)); // asleep a day: 14:00 and the next 02:00
        assertThat(scheduler.look()).isEqualTo(2);

        List<Message> sent = sqs.drain(queue);
        assertThat(sent).extracting(Message::body).containsExactly(
                "{\"command\":\"snapshot\",\"policy\":\"twice-daily\",\"slot\":\"2026-12-01T17:00:00Z\"}",
                "{\"command\":\"snapshot\",\"policy\":\"twice-daily\",\"slot\":\"2026-12-02T05:00:00Z\"}",
                "{\"command\":\"snapshot\",\"policy\":\"twice-daily\",\"slot\":\"2026-12-02T17:00:00Z\"}");
        Object parsed = new MessageParser().parse(sent.get(0).body());
        assertThat(parsed).isInstanceOfSatisfying(Command.class, c -> {
            assertThat(c.name()).isEqualTo("snapshot");
            assertThat(c.arg("slot")).contains("2026-12-01T17:00:00Z");
        });
    }
}
