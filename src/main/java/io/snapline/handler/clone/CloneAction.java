package io.snapline.handler.clone;

import io.snapline.handler.CommandAction;
import io.snapline.handler.Outcome;
import io.snapline.message.Command;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code clone} command: {@code {"command":"clone","policy":…,"source":…,"instanceClass":…,"ttl":"3d",
 * "requestedBy":…,"requestId":…}}. A request outside its policy is refused (permanent, to the
 * dead-letter queue with the reason, and told to the requester's response URL); otherwise the
 * pipeline goes as far as it can, and the same command comes back as a delayed re-check while RDS works.
 */
@Singleton
public class CloneAction implements CommandAction {

    private final CloneRequests requests;
    private final ClonePipeline pipeline;
    private final CloneNotifier notifier;

    public CloneAction(CloneRequests requests, ClonePipeline pipeline, CloneNotifier notifier) {
        this.requests = requests;
        this.pipeline = pipeline;
        this.notifier = notifier;
    }

    @Override
    public String name() {
        return "clone";
    }

    @Override
    public Outcome run(Command command) {
        CloneRequest request;
        try {
            request = requests.clone(command.args(), command.requestId());
        } catch (CloneRefusedException refused) {
            Optional<String> url = Optional.empty();
            try {
                url = requests.responseUrl(command.args().get("responseUrl"));
            } catch (CloneRefusedException badUrl) {
                // the URL is not one we post to; the refusal goes to the dead-letter queue only
            }
            notifier.send(Optional.empty(), url, "clone-refused", "-", "Snapline: clone refused: "
                    + refused.getMessage(), Map.of("reason", refused.getMessage()));
            throw refused;
        }
        return pipeline.run(request);
    }
}
