package io.snapline.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one start-up validation: it asks every {@link ConfigurationCheck} bean (bad values Micronaut
 * would silently replace by defaults, the service settings, export policies, retention and pruning,
 * the queue itself, and whatever a later policy type adds), and when any has a problem stops the
 * start with one {@link InvalidConfigurationException} that lists them all, each once.
 *
 * <p>It is the first eager bean to be created, so a bad setting is reported here rather than as
 * the failure of some bean that happened to read it first.
 */
@Context
@Order(Ordered.HIGHEST_PRECEDENCE)
public class StartupValidation {

    private static final Logger LOG = LoggerFactory.getLogger(StartupValidation.class);

    public StartupValidation(List<ConfigurationCheck> checks) {
        List<String> problems = problems(checks);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        LOG.debug("configuration valid ({} checks)", checks.size());
    }

    /** Every problem of every check, in check order, each once. */
    static List<String> problems(List<ConfigurationCheck> checks) {
        Set<String> problems = new LinkedHashSet<>();
        for (ConfigurationCheck check : checks) {
            try {
                problems.addAll(check.problems());
            } catch (InvalidConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        return new ArrayList<>(problems);
    }
}
