package io.snapline.local;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;

/**
 * Local mode's embedded SQS server (ElasticMQ, a real SQS-protocol server, in process). It exists
 * only when {@code snapline.queue.url} is unset or blank. Port {@code snapline.local.sqs-port}
 * (default 9324; 0 picks a free one).
 */
@Singleton
@Requires(condition = LocalModeCondition.class)
public class LocalSqsServer {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSqsServer.class);

    private final SQSRestServer server;
    private final URI endpoint;

    public LocalSqsServer(@Value("${snapline.local.sqs-port:9324}") int port) {
        try {
            this.server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port).withAWSRegion("us-east-1")
                    .withAWSAccountId("000000000000").start();
            int bound = server.waitUntilStarted().localAddress().getPort();
            this.endpoint = URI.create("http://127.0.0.1:" + bound);
        } catch (RuntimeException e) {
            throw new IllegalStateException("snapline.local.sqs-port: cannot start the embedded SQS server on port "
                    + port + " (" + e.getMessage() + "); free the port or set SNAPLINE_LOCAL_SQS_PORT=0", e);
        }
        LOG.info("local mode: embedded SQS server at {}", endpoint);
    }

    /** The server's endpoint, e.g. {@code http://127.0.0.1:9324}. */
    public URI endpoint() {
        return endpoint;
    }

    @PreDestroy
    void stop() {
        server.stopAndWait();
    }
}
