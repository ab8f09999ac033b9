package io.snapline;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.EmbeddedApplication;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import io.snapline.config.InvalidConfigurationException;
import io.snapline.consumer.ConsumerService;
import io.snapline.consumer.DrainResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts Snapline: the SQS consumer, its handlers and the status endpoints. With no queue
 * configured ({@code snapline.queue.url} / {@code SNAPLINE_QUEUE_URL} unset) it runs in local mode
 * and also activates the {@code local} and {@code sample} environments; the sample configuration
 * ({@code application-sample.yml}) exports every source, in dry-run.
 *
 * <p>Exit status: {@value #EXIT_CLEAN} after a clean stop; {@value #EXIT_INVALID_CONFIGURATION} when
 * the configuration is invalid (every problem printed, with its key and fix, and no stack trace);
 * {@value #EXIT_FAILED} when the start failed otherwise, or a stop left messages unfinished at the
 * shutdown deadline (they are released for redelivery, nothing is lost, but the drain did not
 * finish).
 *
 * <p>Why not {@code Micronaut.run}: on SIGTERM the JVM's own handler starts the shutdown with exit
 * status 143 (128 + 15), whatever Micronaut's shutdown hook then does; a hook cannot change it. So
 * Snapline handles SIGTERM and SIGINT itself: it closes the context (the consumer drains) and exits
 * with the status of the drain. A second signal during the drain exits at once.
 */
public final class Application {

    static final int EXIT_CLEAN = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_INVALID_CONFIGURATION = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private Application() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs until SIGTERM or SIGINT; answers the exit status. */
    static int run(String[] args) {
        long started = System.nanoTime();
        Micronaut builder = Micronaut.build(args).mainClass(Application.class);
        if (localMode(args)) {
            builder.environments("local", "sample");
        }
        ApplicationContext context;
        try {
            context = builder.build();
            context.start();
            context.findBean(EmbeddedApplication.class).ifPresent(EmbeddedApplication::start);
        } catch (RuntimeException e) {
            Optional<InvalidConfigurationException> invalid = invalidConfiguration(e);
            if (invalid.isPresent()) {
                System.err.println(invalid.get().getMessage());
                return EXIT_INVALID_CONFIGURATION;
            }
            LOG.error("Snapline failed to start: {}", e.getMessage(), e);
            return EXIT_FAILED;
        }
        CountDownLatch stop = new CountDownLatch(1);
        onTermination(stop);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (context.isRunning()) {
                context.close(); // an exit not by our signal handler (System.exit elsewhere, SIGHUP): still drain
            }
        }, "snapline-shutdown-hook"));
        LOG.info("Snapline started in {} ms{}", (System.nanoTime() - started) / 1_000_000,
                context.findBean(EmbeddedServer.class).map(s -> ", serving " + s.getURL()).orElse(""));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return stop(context);
    }

    /** Closes the context (the consumer drains in-flight messages) and answers the exit status. */
    static int stop(ApplicationContext context) {
        Optional<ConsumerService> consumer = context.findBean(ConsumerService.class);
        try {
            context.close();
        } catch (RuntimeException e) {
            LOG.error("Snapline did not stop cleanly: {}", e.getMessage(), e);
            return EXIT_FAILED;
        }
        Optional<DrainResult> drain = consumer.flatMap(ConsumerService::drainResult);
        return drain.map(DrainResult::clean).orElse(true) ? EXIT_CLEAN : EXIT_FAILED;
    }

    private static void onTermination(CountDownLatch stop) {
        AtomicInteger signals = new AtomicInteger();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (signals.incrementAndGet() > 1) {
                        LOG.warn("second SIG{} while stopping: exiting now", signal.getName());
                        Runtime.getRuntime().halt(EXIT_FAILED);
                    }
                    LOG.info("SIG{}: stopping", signal.getName());
                    stop.countDown();
                });
            } catch (IllegalArgumentException e) {
                LOG.warn("cannot handle SIG{} ({}); it stops the JVM with its default exit status", name, e.getMessage());
            }
        }
    }

    static Optional<InvalidConfigurationException> invalidConfiguration(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidConfigurationException invalid) {
                return Optional.of(invalid);
            }
        }
        return Optional.empty();
    }

    static boolean localMode(String[] args) {
        String fromArgs = Arrays.stream(args).filter(a -> a.startsWith("--snapline.queue.url="))
                .map(a -> a.substring("--snapline.queue.url=".length())).findFirst().orElse(null);
        String url = fromArgs != null ? fromArgs
                : System.getProperty("snapline.queue.url", System.getenv("SNAPLINE_QUEUE_URL"));
        return url == null || url.isBlank();
    }
}
