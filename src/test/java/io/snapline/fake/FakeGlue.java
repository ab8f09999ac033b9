package io.snapline.fake;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fake Glue (JSON 1.1, {@code X-Amz-Target: AWSGlue.<Op>}): crawlers.
 *
 * <ul>
 *   <li>{@code StartCrawler}: READY → RUNNING; RUNNING (or STOPPING) → 400 {@code CrawlerRunningException};
 *       unknown → 400 {@code EntityNotFoundException}. Each start records which objects existed under the
 *       crawler's S3 targets ({@link #crawls}), so a test can assert "one crawl, after the files landed".</li>
 *   <li>{@code GetCrawler}: {@code State}, {@code LastCrawl} ({@code Status}, {@code StartTime},
 *       {@code ErrorMessage}), the S3 targets; unknown → {@code EntityNotFoundException}.</li>
 * </ul>
 * Test controls: {@link #addCrawler}, {@link #finishCrawl}, {@link #crawls}, {@link #state}.
 */
public final class FakeGlue {

    /** One crawl: when it started and the objects ({@code s3://bucket/key}) under its targets then. */
    public record Crawl(Instant start, List<String> objects) {
    }

    private static final class Crawler {
        final String name;
        final List<String> targets;
        String state = "READY";
        String lastStatus;
        String lastError;
        Instant lastStart;
        final List<Crawl> crawls = new ArrayList<>();

        Crawler(String name, List<String> targets) {
            this.name = name;
            this.targets = targets;
        }
    }

    private final FakeS3 s3;
    private final Map<String, Crawler> crawlers = new LinkedHashMap<>();

    FakeGlue(FakeS3 s3) {
        this.s3 = s3;
    }

    private boolean instantCrawls;

    /**
     * With {@code true}, a started crawl finishes at once (SUCCEEDED, the crawler READY again) and
     * records no object listing (its {@link Crawl#objects()} is empty): for runs of thousands of
     * exports over one crawler, where each export's StartCrawler must find it READY. Off by default.
     */
    public synchronized void instantCrawls(boolean on) {
        this.instantCrawls = on;
    }

    /** A READY crawler over S3 paths like {@code s3://bucket/exports/}. */
    public synchronized void addCrawler(String name, String... s3Targets) {
        crawlers.put(name, new Crawler(name, List.of(s3Targets)));
    }

    /**
     * Ends the running crawl: READY, with {@code LastCrawl.Status} = {@code status}
     * ({@code SUCCEEDED}, {@code CANCELLED} or {@code FAILED}).
     */
    public synchronized void finishCrawl(String name, String status) {
        Crawler c = crawler(name);
        if (!c.state.equals("RUNNING")) {
            throw new IllegalStateException("crawler " + name + " is " + c.state + ", not RUNNING");
        }
        c.state = "READY";
        c.lastStatus = status;
        c.lastError = status.equals("FAILED") ? "Fake crawl failure" : null;
    }

    /** The crawls started so far, oldest first. */
    public synchronized List<Crawl> crawls(String name) {
        return List.copyOf(crawler(name).crawls);
    }

    public synchronized String state(String name) {
        return crawler(name).state;
    }

    static Map<String, String> logParams(Map<String, Object> body) {
        Map<String, String> p = new LinkedHashMap<>();
        body.forEach((k, v) -> p.put(k, String.valueOf(v)));
        return p;
    }

    synchronized String handle(String op, Map<String, Object> body) throws JsonProcessingException {
        String name = String.valueOf(body.get("Name"));
        return switch (op) {
            case "StartCrawler" -> {
                Crawler c = existing(name);
                if (!c.state.equals("READY")) {
                    throw new FakeAwsError("CrawlerRunningException", 400, "Crawler with name " + name + " has already started");
                }
                c.lastStart = Instant.now();
                if (instantCrawls) {
                    c.crawls.add(new Crawl(c.lastStart, List.of()));
                    c.lastStatus = "SUCCEEDED";
                    yield "{}";
                }
                c.state = "RUNNING";
                c.crawls.add(new Crawl(c.lastStart, objectsUnder(c.targets)));
                yield "{}";
            }
            case "GetCrawler" -> {
                Crawler c = existing(name);
                Map<String, Object> crawler = new LinkedHashMap<>();
                crawler.put("Name", c.name);
                crawler.put("State", c.state);
                crawler.put("Targets", Map.of("S3Targets", c.targets.stream().map(t -> Map.of("Path", t)).toList()));
                if (c.lastStatus != null) {
                    Map<String, Object> last = new LinkedHashMap<>();
                    last.put("Status", c.lastStatus);
                    last.put("StartTime", c.lastStart.toEpochMilli() / 1000.0);
                    Optional.ofNullable(c.lastError).ifPresent(e -> last.put("ErrorMessage", e));
                    crawler.put("LastCrawl", last);
                }
                yield FakeAws.JSON.writeValueAsString(Map.of("Crawler", crawler));
            }
            default -> throw new FakeAwsError("UnknownOperationException", 400, "The fake Glue does not implement " + op);
        };
    }

    private List<String> objectsUnder(List<String> targets) {
        List<String> result = new ArrayList<>();
        for (String t : targets) {
            String path = t.substring("s3://".length());
            int slash = path.indexOf('/');
            String bucket = slash < 0 ? path : path.substring(0, slash);
            String prefix = slash < 0 ? "" : path.substring(slash + 1);
            if (s3.bucketExists(bucket)) {
                s3.keys(bucket, prefix).forEach(k -> result.add("s3://" + bucket + "/" + k));
            }
        }
        return result;
    }

    private Crawler existing(String name) {
        Crawler c = crawlers.get(name);
        if (c == null) {
            throw new FakeAwsError("EntityNotFoundException", 400, "Crawler entry with name " + name + " does not exist");
        }
        return c;
    }

    private Crawler crawler(String name) {
        Crawler c = crawlers.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no fake crawler " + name);
        }
        return c;
    }
}
