package io.snapline;

import io.micronaut.runtime.Micronaut;

/** Starts Snapline: the SQS consumer, its handlers and the status endpoints. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
