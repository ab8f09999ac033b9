package io.snapline.handler;

import io.snapline.message.Command;

/**
 * One named command ({@code prune}, {@code reconcile}, …). The command handler routes a
 * {@link Command} to the action whose {@link #name()} matches; an unknown name is a permanent
 * failure that lists the known ones.
 */
public interface CommandAction {

    /** The {@code command} value this action answers to. */
    String name();

    /** Runs the command. */
    Outcome run(Command command) throws Exception;
}
