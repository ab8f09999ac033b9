package io.snapline.config;

import java.util.List;

/**
 * One source of start-up configuration problems. {@link StartupValidation} asks every bean of this
 * type once, when the application starts, and stops the start with all their problems in one
 * report; a check never throws for a bad value, it returns it.
 *
 * <p>Each problem is one line that names the full key, says what is wrong with the value, and
 * gives the fix, e.g. {@code snapline.queue.pollers: 0 is out of range; use 1 to 64}. A new kind of
 * policy (snapshot schedules, copies, clones) plugs its validation in by being a bean of this type.
 */
@FunctionalInterface
public interface ConfigurationCheck {

    /** Every problem found, each naming its key and the fix; empty when the configuration is valid. */
    List<String> problems();
}
