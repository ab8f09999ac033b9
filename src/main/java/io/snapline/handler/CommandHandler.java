package io.snapline.handler;

import io.snapline.error.PermanentProcessingException;
import io.snapline.message.Command;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Routes a {@link Command} to the {@link CommandAction} bean of the same name. An unknown command
 * is a permanent failure that names the known ones, so an operator's typo lands in the
 * dead-letter queue with an answer instead of vanishing.
 */
@Singleton
public class CommandHandler implements MessageHandler<Command> {

    private final Map<String, CommandAction> actions;

    public CommandHandler(List<CommandAction> actions) {
        this.actions = actions.stream().collect(Collectors.toMap(CommandAction::name, Function.identity(),
                (a, b) -> {
                    throw new IllegalStateException("two command actions are named '" + a.name() + "'");
                }, TreeMap::new));
    }

    @Override
    public Class<Command> messageType() {
        return Command.class;
    }

    @Override
    public Outcome handle(Command command) throws Exception {
        CommandAction action = actions.get(command.name());
        if (action == null) {
            throw new PermanentProcessingException("unknown command '" + command.name() + "'; known commands: "
                    + (actions.isEmpty() ? "none" : String.join(", ", actions.keySet())));
        }
        return action.run(command);
    }
}
