package io.snapline.fake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The fault layer of {@link FakeAws} ({@link FakeAws#faults()}): a configurable share of calls
 * answered with throttling or a 5xx in the protocol's real error format, added latency, dropped
 * connections, and one-shot hooks that run when a given call arrives (the reliability suite kills
 * the service there). <b>Off by default</b>: a fresh fake injects nothing, so tests that never call
 * {@code faults()} are unaffected.
 *
 * <p>Each call draws once (seeded, so a run can be repeated): with probability {@code throttle} it is
 * answered with the service's throttling error, else with probability {@code serverError} with a 5xx,
 * else with probability {@code drop} its connection is dropped mid-response: the operation runs (its
 * effect is there, as when AWS applied a call whose answer never arrived), the status and headers go
 * out announcing the full body, then half of it, then the socket is closed (the SDK sees a truncated
 * response and retries; an operation whose answer has no body may pass as answered). Latency is added
 * to a share of calls before they are handled. Throttling and 5xx do not change the fake's state:
 * those calls did not happen, as AWS answers a throttled call. The codes, per protocol, are the ones the SDK classifies as throttling
 * ({@code AwsErrorCode}) or as a 5xx:
 *
 * <table>
 *   <tr><th>service</th><th>throttling</th><th>5xx</th></tr>
 *   <tr><td>RDS, STS (query)</td><td>{@code Throttling} 400</td><td>{@code InternalFailure} 500</td></tr>
 *   <tr><td>SNS (query)</td><td>{@code Throttled} 429</td><td>{@code InternalError} 500</td></tr>
 *   <tr><td>S3 (REST-XML)</td><td>{@code SlowDown} 503</td><td>{@code InternalError} 500</td></tr>
 *   <tr><td>S3 Control (REST-XML)</td><td>{@code TooManyRequestsException} 400</td><td>{@code InternalServiceException} 500</td></tr>
 *   <tr><td>Glue (JSON 1.1)</td><td>{@code ThrottlingException} 400</td><td>{@code InternalServiceException} 500</td></tr>
 * </table>
 *
 * <p>Hooks ({@link #onCall}) run on the fake's thread for the n-th call of an operation, either
 * instead of handling it ({@link Phase#NOT_APPLIED}: the call is then dropped) or after it was applied
 * and before its answer is written ({@link Phase#AFTER_APPLIED}: "the call reached AWS and took
 * effect, but its caller never heard back").
 */
public final class FakeFaults {

    /** When a hook runs. */
    public enum Phase {
        /**
         * The call arrived; the hook runs, then the call is dropped without being applied (its caller,
         * if still alive, sees a dropped connection): "the caller died before its request took effect".
         */
        NOT_APPLIED,
        /** The call was applied to the fake's state; its answer is not written yet. */
        AFTER_APPLIED
    }

    /** What the draw decided for one call. */
    enum Fault {
        NONE, THROTTLE, SERVER_ERROR, DROP
    }

    private record Hook(String operation, long nth, Phase phase, Runnable action) {
    }

    private volatile double throttle;
    private volatile double serverError;
    private volatile double drop;
    private volatile double latencyShare;
    private volatile Duration latency = Duration.ZERO;
    private volatile Predicate<String> applies = op -> true;
    private final Random random = new Random(20261202L);
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final List<Hook> hooks = new ArrayList<>();
    private final Map<Fault, AtomicLong> injected = new ConcurrentHashMap<>();

    FakeFaults() {
    }

    /** The share (0..1) of calls answered with the service's throttling error. */
    public FakeFaults throttle(double share) {
        this.throttle = share;
        return this;
    }

    /** The share (0..1) of calls answered with a 5xx. */
    public FakeFaults serverErrors(double share) {
        this.serverError = share;
        return this;
    }

    /** The share (0..1) of calls whose connection is dropped mid-response, after the call was applied. */
    public FakeFaults dropConnections(double share) {
        this.drop = share;
        return this;
    }

    /** Adds {@code delay} to a share (0..1) of calls, before they are handled. */
    public FakeFaults latency(double share, Duration delay) {
        this.latencyShare = share;
        this.latency = delay;
        return this;
    }

    /** Restricts the shares above to the operations named (default: every operation). */
    public FakeFaults onlyFor(Set<String> operations) {
        Set<String> copy = Set.copyOf(operations);
        this.applies = copy::contains;
        return this;
    }

    /** Every share back to 0, every operation eligible, hooks removed. */
    public synchronized FakeFaults off() {
        throttle = 0;
        serverError = 0;
        drop = 0;
        latencyShare = 0;
        latency = Duration.ZERO;
        applies = op -> true;
        hooks.clear();
        return this;
    }

    /**
     * Runs {@code action} once, for the {@code nth} (1-based, counted from now) call of {@code operation},
     * in {@code phase}. An AFTER_APPLIED hook that throws makes the applied call answer a 500.
     */
    public synchronized FakeFaults onCall(String operation, long nth, Phase phase, Runnable action) {
        long base = calls.computeIfAbsent(operation, k -> new AtomicLong()).get();
        hooks.add(new Hook(operation, base + nth, phase, action));
        return this;
    }

    /** How many faults of each kind were injected so far (throttle, server_error, drop, latency excluded). */
    public Map<String, Long> injectedCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        injected.forEach((k, v) -> out.put(k.name().toLowerCase(java.util.Locale.ROOT), v.get()));
        return out;
    }

    // ------------------------------------------------------------------ used by FakeAws

    /** Counts the call; answers its number for its operation. */
    long arrived(String operation) {
        return calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    /** Runs the call's NOT_APPLIED hooks: true when there were any, and the call must be dropped. */
    boolean intercepted(String operation, long n) {
        return run(operation, n, Phase.NOT_APPLIED);
    }

    void applied(String operation, long n) {
        run(operation, n, Phase.AFTER_APPLIED);
    }

    /** Sleeps the latency if drawn, then draws the call's fault. */
    Fault draw(String operation) {
        if (!applies.test(operation)) {
            return Fault.NONE;
        }
        double l;
        double r;
        synchronized (random) {
            l = random.nextDouble();
            r = random.nextDouble();
        }
        if (l < latencyShare && !latency.isZero()) {
            try {
                Thread.sleep(latency.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Fault f = r < throttle ? Fault.THROTTLE
                : r < throttle + serverError ? Fault.SERVER_ERROR
                : r < throttle + serverError + drop ? Fault.DROP
                : Fault.NONE;
        if (f != Fault.NONE) {
            injected.computeIfAbsent(f, k -> new AtomicLong()).incrementAndGet();
        }
        return f;
    }

    /** The error of a THROTTLE or SERVER_ERROR fault, in the service's codes. */
    static FakeAwsError error(String service, String operation, Fault fault) {
        boolean throttled = fault == Fault.THROTTLE;
        String message = "Injected " + (throttled ? "throttling" : "server error") + " for " + operation;
        return switch (service) {
            case "sns" -> throttled ? new FakeAwsError("Throttled", 429, message) : new FakeAwsError("InternalError", 500, message);
            case "s3" -> throttled ? new FakeAwsError("SlowDown", 503, message) : new FakeAwsError("InternalError", 500, message);
            case "s3control", "glue" -> throttled
                    ? new FakeAwsError(service.equals("glue") ? "ThrottlingException" : "TooManyRequestsException", 400, message)
                    : new FakeAwsError("InternalServiceException", 500, message);
            default -> throttled ? new FakeAwsError("Throttling", 400, message) : new FakeAwsError("InternalFailure", 500, message);
        };
    }

    private boolean run(String operation, long n, Phase phase) {
        List<Hook> due = new ArrayList<>();
        synchronized (this) {
            hooks.removeIf(h -> {
                if (h.operation().equals(operation) && h.nth() == n && h.phase() == phase) {
                    due.add(h);
                    return true;
                }
                return false;
            });
        }
        due.forEach(h -> h.action().run());
        return !due.isEmpty();
    }
}
