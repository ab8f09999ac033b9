package io.snapline.message;

import java.util.List;

/**
 * A rough single-thread parse rate over the bundled fixtures (not a test, asserts nothing):
 * {@code java -cp target/classes:target/test-classes:<deps> io.snapline.message.MessageParserThroughput}.
 * Prints messages/s for the typical shapes (SNS-wrapped RDS event, bare EventBridge event, command)
 * and for the whole fixture mix.
 */
public final class MessageParserThroughput {

    private MessageParserThroughput() {
    }

    public static void main(String[] args) {
        MessageParser parser = new MessageParser();
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        measure(parser, "sns-wrapped RDS 0042", List.of(MessageParserFixturesTest.body("sns/rds-0042-manual-db-snapshot.json")), seconds);
        measure(parser, "bare EventBridge 0042", List.of(MessageParserFixturesTest.body("eventbridge/rds-db-snapshot-0042.json")), seconds);
        measure(parser, "sns-wrapped EventBridge S3 job", List.of(MessageParserFixturesTest.body("sns/eventbridge-s3-batch-job-complete.json")), seconds);
        measure(parser, "command", List.of(MessageParserFixturesTest.body("raw/command-prune-dry-run.json")), seconds);
        measure(parser, "all fixtures", MessageParserFixturesTest.fixtureFiles().stream()
                .map(MessageParserFixturesTest::body).toList(), seconds);
    }

    private static void measure(MessageParser parser, String label, List<String> bodies, int seconds) {
        long sink = 0;
        for (int i = 0; i < 50_000; i++) {
            sink += parser.parse(bodies.get(i % bodies.size())).key().length();
        }
        long n = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1_000; i++) {
                sink += parser.parse(bodies.get((int) (n++ % bodies.size()))).key().length();
            }
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        System.out.printf("%-32s %,12.0f messages/s (sink %d)%n", label, rate, sink % 10);
    }
}
