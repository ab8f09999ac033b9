package io.snapline.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One in-process HTTP server that speaks the wire protocols of every AWS service Snapline calls,
 * so the real SDK clients can be pointed at it ({@code snapline.aws.endpoint} = {@link #endpoint()}).
 *
 * <p>Routing, by protocol, as the SDK sends it:
 * <ul>
 *   <li>{@code X-Amz-Target: AWSGlue.<Op>} (JSON 1.1) → {@link FakeGlue};</li>
 *   <li>path {@code /v20180820/...} (REST-XML, account in {@code x-amz-account-id}) → {@link FakeS3Control};</li>
 *   <li>a form POST with {@code Action=} (query protocol): {@code AssumeRole} → {@link FakeSts},
 *       {@code Publish} → {@link FakeSns}, everything else → {@link FakeRds} (Version 2014-10-31);</li>
 *   <li>anything else → {@link FakeS3} (REST-XML, path-style {@code /bucket/key}).</li>
 * </ul>
 * Errors are rendered in each protocol's real format (query {@code ErrorResponse} with
 * {@code Type}/{@code Code}/{@code Message}, S3 {@code <Error><Code>}, Glue {@code __type}, S3 Control
 * {@code <ErrorResponse><Error><Code>}) with the real HTTP status, so the SDK raises the same modeled
 * exceptions and {@code awsErrorDetails().errorCode()} as against AWS.
 *
 * <h2>Test-control API</h2>
 * <ul>
 *   <li>{@link #rds()}, {@link #s3()}, {@link #s3Control()}, {@link #glue()}, {@link #sns()},
 *       {@link #sts()}: each service's state and its own controls (seed snapshots, buckets,
 *       crawlers; complete exports; run batch jobs; finish crawls; read published messages).</li>
 *   <li>{@link #failNext(String, String, int)}: the next call of an operation (any service, by its
 *       AWS operation name, e.g. {@code StartExportTask}, {@code PutObjectAcl}, {@code StartCrawler})
 *       answers with that error code and HTTP status instead of running. Several calls queue up.</li>
 *   <li>{@link #requests()} / {@link #requests(String)}: every request received, in order, with its
 *       operation and parameters ({@link LoggedRequest}); {@link #clearRequests()}.</li>
 *   <li>{@link #answered(String)}: the requests that ran and were answered 2xx (effects, not attempts).</li>
 *   <li>{@link #faults()}: the fault layer (throttling, 5xx, latency, dropped connections, hooks), off
 *       by default; see {@link FakeFaults}.</li>
 * </ul>
 * The default account of the fake is {@link #ACCOUNT}; requests signed with credentials from
 * {@link FakeSts} act as the account of the assumed role's ARN (which matters for S3 object owners).
 *
 * <p>Thread-safe: every service synchronises on itself; test controls may run while the SDK calls.
 */
public final class FakeAws implements AutoCloseable {

    /** The account the fake's default caller (and resource owner) belongs to. */
    public static final String ACCOUNT = "123456789012";
    /** The region the fake puts into ARNs. */
    public static final String REGION = "us-east-1";

    static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY each call waits ~40 ms
        // for a delayed ACK. Read once, when the JDK's server config loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final List<LoggedRequest> log = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<FakeAwsError>> injected = new ConcurrentHashMap<>();
    private final Map<String, String> accountByAccessKey = new ConcurrentHashMap<>();
    private final List<LoggedRequest> answered = new CopyOnWriteArrayList<>();
    private final FakeFaults faults = new FakeFaults();
    /** The call the current fake thread handles: its logged request, its number, its fault. */
    private final ThreadLocal<Current> current = new ThreadLocal<>();

    private static final class Current {
        LoggedRequest request;
        String operation;
        long n;
        FakeFaults.Fault fault = FakeFaults.Fault.NONE;
        /** A NOT_APPLIED hook ran: the call is dropped unapplied, the connection closed with no answer. */
        boolean intercepted;
    }

    private final FakeS3 s3 = new FakeS3(this);
    private final FakeRds rds = new FakeRds(s3);
    private final FakeS3Control s3Control = new FakeS3Control(s3);
    private final FakeGlue glue = new FakeGlue(s3);
    private final FakeSns sns = new FakeSns();
    private final FakeSts sts = new FakeSts(this);
    private final FakeSecretsManager secretsManager = new FakeSecretsManager();
    private final FakeRdsClones rdsClones = new FakeRdsClones(rds, secretsManager);

    /** Starts the server on 127.0.0.1 and a free port. */
    public FakeAws() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake AWS server", e);
        }
        // 64 threads: the fault layer's added latency must not serialise 100 callers
        pool = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "fake-aws");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The endpoint override for every SDK client, e.g. {@code http://127.0.0.1:43123}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FakeRds rds() {
        return rds;
    }

    public FakeS3 s3() {
        return s3;
    }

    public FakeS3Control s3Control() {
        return s3Control;
    }

    public FakeGlue glue() {
        return glue;
    }

    public FakeSns sns() {
        return sns;
    }

    public FakeSts sts() {
        return sts;
    }

    /** RDS DB clusters and instances, for clones. */
    public FakeRdsClones rdsClones() {
        return rdsClones;
    }

    public FakeSecretsManager secretsManager() {
        return secretsManager;
    }

    /**
     * Makes the next call of {@code operation} fail with {@code code} and {@code httpStatus} (in the
     * operation's protocol format), without touching state. Queued: call it twice to fail twice.
     * Note the SDK retries throttling codes and 5xx itself (3 attempts in standard mode), so inject
     * such errors once per attempt to make them reach the caller.
     */
    public void failNext(String operation, String code, int httpStatus) {
        injected.computeIfAbsent(operation, k -> new ArrayDeque<>())
                .add(new FakeAwsError(code, httpStatus, "Injected " + code + " for " + operation));
    }

    /** The fault layer: off until configured. */
    public FakeFaults faults() {
        return faults;
    }

    /** The requests of {@code operation} that ran (no injected fault) and were answered 2xx, in order. */
    public List<LoggedRequest> answered(String operation) {
        return answered.stream().filter(r -> r.operation().equals(operation)).toList();
    }

    /** Every request received so far, in order. */
    public List<LoggedRequest> requests() {
        return List.copyOf(log);
    }

    /** The requests of one operation (e.g. {@code "StartExportTask"}), in order. */
    public List<LoggedRequest> requests(String operation) {
        return log.stream().filter(r -> r.operation().equals(operation)).toList();
    }

    public void clearRequests() {
        log.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    void registerAccessKey(String accessKeyId, String account) {
        accountByAccessKey.put(accessKeyId, account);
    }

    /** The account a request acts as: the assumed role's account for STS-issued keys, else {@link #ACCOUNT}. */
    String callerAccount(FakeCall call) {
        return call.accessKeyId() == null ? ACCOUNT : accountByAccessKey.getOrDefault(call.accessKeyId(), ACCOUNT);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        FakeReply reply;
        Current now = new Current();
        current.set(now);
        try (InputStream in = exchange.getRequestBody()) {
            FakeCall call = toCall(exchange, in.readAllBytes());
            reply = dispatch(call, requestId);
            boolean ran = now.fault == FakeFaults.Fault.NONE || now.fault == FakeFaults.Fault.DROP;
            if (now.operation != null && ran && !now.intercepted) {
                faults.applied(now.operation, now.n);
                if (reply.status() < 300 && now.request != null) {
                    answered.add(now.request);
                }
            }
        } catch (RuntimeException e) {
            reply = FakeReply.xml(500, "<Error><Code>InternalError</Code><Message>" + Xml.escape(String.valueOf(e))
                    + "</Message></Error>");
        } finally {
            current.remove();
        }
        if (now.intercepted) {
            exchange.close(); // no status line sent: the JDK server just closes the connection
            return;
        }
        if (now.fault == FakeFaults.Fault.DROP) {
            dropMidResponse(exchange, reply);
            return;
        }
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("x-amzn-RequestId", requestId);
        exchange.getResponseHeaders().add("x-amz-request-id", requestId);
        if (reply.contentType() != null) {
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        }
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(reply.status(), head || reply.body().length == 0 ? -1 : reply.body().length);
        if (!head && reply.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
        exchange.close();
    }

    private static FakeCall toCall(HttpExchange exchange, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Map<String, String> query = FakeCall.parseForm(rawQuery);
        body = FakeCall.unchunk(headers, body);
        Map<String, String> form = Map.of();
        String contentType = headers.getOrDefault("content-type", "");
        if (exchange.getRequestMethod().equals("POST") && contentType.startsWith("application/x-www-form-urlencoded")) {
            form = FakeCall.parseForm(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
        return new FakeCall(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), query, headers, body,
                form, FakeCall.accessKeyOf(headers.get("authorization")));
    }

    private FakeReply dispatch(FakeCall call, String requestId) {
        String target = call.header("x-amz-target");
        if (target != null && target.startsWith("AWSGlue.")) {
            String op = target.substring("AWSGlue.".length());
            try {
                Map<String, Object> body = call.body().length == 0 ? Map.of()
                        : JSON.readValue(call.body(), Map.class);
                logRequest("glue", op, FakeGlue.logParams(body), call);
                throwInjected("glue", op);
                return FakeReply.json(200, glue.handle(op, body));
            } catch (FakeAwsError e) {
                return FakeReply.json(e.status(), jsonError(e));
            } catch (IOException e) {
                return FakeReply.json(400, jsonError(new FakeAwsError("SerializationException", 400, e.getMessage())));
            }
        }
        if (target != null && target.startsWith("secretsmanager.")) {
            String op = target.substring("secretsmanager.".length());
            try {
                Map<String, Object> body = call.body().length == 0 ? Map.of() : JSON.readValue(call.body(), Map.class);
                Map<String, String> logged = new LinkedHashMap<>();
                body.forEach((k, v) -> logged.put(k, String.valueOf(v)));
                logRequest("secretsmanager", op, logged, call);
                throwInjected("secretsmanager", op);
                return FakeReply.json(200, JSON.writeValueAsString(secretsManager.handle(op, body)));
            } catch (FakeAwsError e) {
                return FakeReply.json(e.status(), jsonError(e));
            } catch (IOException e) {
                return FakeReply.json(400, jsonError(new FakeAwsError("SerializationException", 400, e.getMessage())));
            }
        }
        if (call.rawPath().startsWith("/v20180820/")) {
            String op = FakeS3Control.operation(call);
            try {
                logRequest("s3control", op, s3Control.logParams(op, call), call);
                throwInjected("s3control", op);
                return s3Control.handle(op, call);
            } catch (FakeAwsError e) {
                return FakeReply.xml(e.status(), Xml.document().open("ErrorResponse").open("Error")
                        .el("Code", e.code()).el("Message", e.getMessage()).close()
                        .el("RequestId", requestId).el("HostId", requestId).toString());
            }
        }
        String action = call.form().get("Action");
        if (action != null) {
            return query(action, call, requestId);
        }
        String op = FakeS3.operation(call);
        try {
            logRequest("s3", op, FakeS3.logParams(call), call);
            throwInjected("s3", op);
            return s3.handle(op, call);
        } catch (FakeAwsError e) {
            return FakeReply.xml(e.status(), Xml.document().open("Error").el("Code", e.code())
                    .el("Message", e.getMessage()).el("RequestId", requestId).el("HostId", requestId).toString());
        }
    }

    private FakeReply query(String action, FakeCall call, String requestId) {
        Map<String, String> params = new LinkedHashMap<>(call.form());
        params.remove("Action");
        String version = params.remove("Version");
        String service;
        String namespace;
        switch (action) {
            case "AssumeRole" -> {
                service = "sts";
                namespace = "https://sts.amazonaws.com/doc/2011-06-15/";
            }
            case "Publish" -> {
                service = "sns";
                namespace = "http://sns.amazonaws.com/doc/2010-03-31/";
            }
            default -> {
                service = "rds";
                namespace = "http://rds.amazonaws.com/doc/2014-10-31/";
            }
        }
        try {
            logRequest(service, action, params, call);
            throwInjected(service, action);
            if (service.equals("rds") && !"2014-10-31".equals(version)) {
                throw new FakeAwsError("InvalidAction", 400, "Unsupported Version " + version);
            }
            String result = switch (service) {
                case "sts" -> sts.handle(action, params);
                case "sns" -> sns.handle(action, params);
                default -> rdsClones.answers(action, params) ? rdsClones.handle(action, params)
                        : rds.handle(action, params, FakeCall.regionOf(call.header("authorization")));
            };
            Xml xml = Xml.document().open(action + "Response", namespace);
            String body = xml.toString().replace("</" + action + "Response>", "")
                    + "<" + action + "Result>" + result + "</" + action + "Result>"
                    + "<ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata>"
                    + "</" + action + "Response>";
            return FakeReply.xml(body);
        } catch (FakeAwsError e) {
            String type = e.status() >= 500 ? "Receiver" : "Sender";
            return FakeReply.xml(e.status(), Xml.document().open("ErrorResponse", namespace).open("Error")
                    .el("Type", type).el("Code", e.code()).el("Message", e.getMessage()).close()
                    .el("RequestId", requestId).toString());
        }
    }

    private static String jsonError(FakeAwsError e) {
        try {
            return JSON.writeValueAsString(Map.of("__type", e.code(), "Message", String.valueOf(e.getMessage())));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The call's NOT_APPLIED hooks (the call is then dropped), else the fault layer's draw (a throttling or 5xx error is thrown, a drop
     * is remembered for {@link #handle}), then the errors queued by {@link #failNext}.
     */
    private void throwInjected(String service, String operation) {
        Current now = current.get();
        if (now != null) {
            now.operation = operation;
            now.n = faults.arrived(operation);
            if (faults.intercepted(operation, now.n)) {
                now.intercepted = true;
                throw new FakeAwsError("InternalError", 500, "dropped before it was applied (never sent)");
            }
            now.fault = faults.draw(operation);
            if (now.fault == FakeFaults.Fault.THROTTLE || now.fault == FakeFaults.Fault.SERVER_ERROR) {
                throw FakeFaults.error(service, operation, now.fault);
            }
        }
        Deque<FakeAwsError> queue = injected.get(operation);
        if (queue != null) {
            FakeAwsError next;
            synchronized (queue) {
                next = queue.poll();
            }
            if (next != null) {
                if (now != null) {
                    now.operation = null; // a failNext error: the call did not run, no AFTER_APPLIED hook
                }
                throw next;
            }
        }
    }

    private void logRequest(String service, String operation, Map<String, String> params, FakeCall call) {
        Map<String, String> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        LoggedRequest request = new LoggedRequest(service, operation, java.util.Collections.unmodifiableMap(copy),
                call.accessKeyId());
        log.add(request);
        Current now = current.get();
        if (now != null) {
            now.request = request;
        }
    }

    /**
     * A connection dropped mid-response: the call was applied, its status and headers go out with the
     * full length announced, then half of the body, then the socket is closed.
     */
    private static void dropMidResponse(HttpExchange exchange, FakeReply reply) throws IOException {
        byte[] body = reply.body();
        byte[] half = java.util.Arrays.copyOf(body, body.length / 2);
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        if (reply.contentType() != null) {
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        }
        exchange.sendResponseHeaders(reply.status(), Math.max(body.length, 64));
        OutputStream out = exchange.getResponseBody();
        out.write(half);
        out.flush();
        try {
            out.close(); // fewer bytes than announced: the JDK server closes the connection
        } catch (IOException expected) {
            // "insufficient bytes written to stream": the point of the fault
        }
        exchange.close();
    }

    static List<String> copy(List<String> list) {
        return new ArrayList<>(list);
    }
}
