package io.snapline;

import io.micronaut.runtime.Micronaut;

import java.util.Arrays;

/**
 * Starts Snapline: the SQS consumer, its handlers and the status endpoints. With no queue
 * configured ({@code snapline.queue.url} / {@code SNAPLINE_QUEUE_URL} unset) it runs in local mode
 * and also activates the {@code local} and {@code sample} environments; the sample configuration
 * ({@code application-sample.yml}) exports every source, in dry-run.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut micronaut = Micronaut.build(args).mainClass(Application.class);
        if (localMode(args)) {
            micronaut.environments("local", "sample");
        }
        micronaut.start();
    }

    static boolean localMode(String[] args) {
        String fromArgs = Arrays.stream(args).filter(a -> a.startsWith("--snapline.queue.url="))
                .map(a -> a.substring("--snapline.queue.url=".length())).findFirst().orElse(null);
        String url = fromArgs != null ? fromArgs
                : System.getProperty("snapline.queue.url", System.getenv("SNAPLINE_QUEUE_URL"));
        return url == null || url.isBlank();
    }
}
