package io.snapline.handler.clone;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snapline.aws.FakeAwsFixture;
import io.snapline.aws.SdkCloneGateway;
import io.snapline.aws.SdkSecretsGateway;
import io.snapline.config.ClonePolicy;
import io.snapline.config.CloningProperties;
import io.snapline.config.SlackProperties;
import io.snapline.fake.FakeAws;
import io.snapline.gateway.CloneGateway;
import io.snapline.handler.CommandAction;
import io.snapline.handler.Outcome;
import io.snapline.handler.export.WebhookSender;
import io.snapline.handler.step.StepRunner;
import io.snapline.message.Command;
import io.snapline.testing.MutableClock;
import io.snapline.testing.TestLedger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The clone service built by hand over the real SDK gateways against {@link FakeAws} and the test
 * ledger: what a test of the pipeline's paths needs without starting the application. The webhook
 * sender records what it was asked to post ({@link #posted}).
 */
final class CloneFixture implements AutoCloseable {

    static final String HOOK = "https://hooks.slack.com/commands/T1/42/abc";
    static final String MASKING_GROUP = "sg-0123456789abcdef0";
    static final String OPEN_GROUP = "sg-0fedcba987654321f";

    record Post(String url, String text) {
    }

    final FakeAwsFixture aws = new FakeAwsFixture();
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
    final TestLedger ledger = new TestLedger(clock);
    final StepRunner runner = new StepRunner(ledger, Duration.ofSeconds(30), new SimpleMeterRegistry(), clock);
    final List<Post> posted = new CopyOnWriteArrayList<>();
    final CloneGateway clones = new SdkCloneGateway(aws.clients().rds());
    final CloneTime time = new CloneTime(clock);
    final CloneStore store = new CloneStore(ledger);
    final HandOverGate gate = new HandOverGate(ledger);
    final CloneNotifier notifier = new CloneNotifier(aws.gateways(), (WebhookSender) (url, text) -> posted.add(new Post(url, text)));
    final CloneCleanup cleanup = new CloneCleanup(clones, ledger, time);
    final CloneLookup lookup = new CloneLookup(clones);
    final CloningProperties cloning;
    final CloneRequests requests;
    final ClonePipeline pipeline;
    final CloneAction cloneAction;
    final ReapAction reap;
    final DeleteAction delete;
    final ExtendAction extend;

    CloneFixture(List<ClonePolicy> policies, int maxDeletes) {
        cloning = new CloningProperties(Duration.ofSeconds(1), Duration.ofHours(2), maxDeletes, Duration.ofHours(12), false);
        requests = new CloneRequests(policies, new SlackProperties(null, null, null));
        pipeline = new ClonePipeline(clones, new SdkSecretsGateway(aws.factory().secretsManagerClient()), aws.gateways(),
                ledger, runner, store, gate, notifier, cleanup, cloning, time);
        cloneAction = new CloneAction(requests, pipeline, notifier);
        reap = new ReapAction(lookup, requests, cleanup, notifier, store, runner, cloning, time, new SimpleMeterRegistry());
        delete = new DeleteAction(lookup, requests, cleanup, notifier, cloning);
        extend = new ExtendAction(lookup, requests, clones, notifier, ledger, time);
    }

    FakeAws fake() {
        return aws.fake();
    }

    /** A clone policy for {@code sources} with the masking given as dotted keys below {@code masking.}. */
    static ClonePolicy policy(String name, List<String> sources, Map<String, Object> masking) {
        return new ClonePolicy(name, sources, masking, null, List.of("db.t4g.medium", "db.r6g.large"), "db.r6g.4xlarge",
                Duration.ofDays(1), Duration.ofDays(7), null, List.of(MASKING_GROUP), List.of(OPEN_GROUP), null, null, 2,
                null, null, null, 2, 100, null, null, null);
    }

    static Command command(String name, Map<String, String> args, String requestId) {
        return new Command(name, args, false, Optional.ofNullable(requestId));
    }

    /** Runs the action as the queue would: again after every RECHECK_LATER (at most 50 times). */
    Outcome drive(CommandAction action, Command command) throws Exception {
        Outcome o = null;
        for (int i = 0; i < 50; i++) {
            o = action.run(command);
            if (o.status() != Outcome.Status.RECHECK_LATER) {
                return o;
            }
        }
        throw new AssertionError("still re-checking after 50 rounds: " + o);
    }

    @Override
    public void close() {
        aws.close();
    }
}
