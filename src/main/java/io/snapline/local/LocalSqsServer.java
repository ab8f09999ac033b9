package io.snapline.local;

import java.net.URI;

/** The embedded SQS server of local mode (placeholder; the ElasticMQ-backed bean lands next). */
public interface LocalSqsServer {

    /** The server's endpoint, e.g. {@code http://localhost:9324}. */
    URI endpoint();
}
