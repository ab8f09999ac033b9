package io.snapline.local;

import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;

/** True when {@code snapline.queue.url} is unset or blank: the service runs in local mode. */
public final class LocalModeCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context) {
        return context.getProperty("snapline.queue.url", String.class).map(String::isBlank).orElse(true);
    }
}
