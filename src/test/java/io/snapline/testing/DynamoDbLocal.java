package io.snapline.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;

/** DynamoDB Local in this JVM (in-memory, HTTP on a free loopback port), reached through the real SDK client. */
public final class DynamoDbLocal implements AutoCloseable {

    private final DynamoDBProxyServer server;
    private final DynamoDbClient client;

    public DynamoDbLocal() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server = ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-port", Integer.toString(port)});
        server.start();
        client = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(ApacheHttpClient.create())
                .build();
    }

    public DynamoDbClient client() {
        return client;
    }

    /**
     * The ledger table as the Terraform module creates it: partition key pk (S), on demand, and the
     * index that lists pipelines newest first.
     */
    public void createLedgerTable(String name) {
        client.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(io.snapline.ledger.DynamoDbLedger.LISTED).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("updatedAt").attributeType(ScalarAttributeType.N))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .globalSecondaryIndexes(g -> g.indexName(io.snapline.ledger.DynamoDbLedger.LIST_INDEX)
                        .keySchema(k -> k.attributeName(io.snapline.ledger.DynamoDbLedger.LISTED).keyType(KeyType.HASH),
                                k -> k.attributeName("updatedAt").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(software.amazon.awssdk.services.dynamodb.model.ProjectionType.ALL))));
    }

    /** The ledger table as it was before the pipeline index: partition key pk (S) only. */
    public void createUnindexedLedgerTable(String name) {
        client.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)));
    }

    @Override
    public void close() throws Exception {
        client.close();
        server.stop();
    }
}
