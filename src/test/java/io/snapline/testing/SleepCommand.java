package io.snapline.testing;

import io.micronaut.context.annotation.Requires;
import io.snapline.handler.CommandAction;
import io.snapline.handler.Outcome;
import io.snapline.message.Command;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only: {@code {"command":"sleep","millis":"30000"}} keeps a message in flight, so a test can
 * stop the service while it runs. It exists only with {@code snapline.test.sleep-command=true}.
 */
@Singleton
@Requires(property = SleepCommand.PROPERTY, value = "true")
public class SleepCommand implements CommandAction {

    public static final String PROPERTY = "snapline.test.sleep-command";
    private static final Logger LOG = LoggerFactory.getLogger(SleepCommand.class);

    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public Outcome run(Command command) throws Exception {
        long millis = Long.parseLong(command.arg("millis").orElse("1000"));
        LOG.info("sleep command: sleeping {} ms", millis);
        Thread.sleep(millis);
        return Outcome.done("slept " + millis + " ms");
    }
}
