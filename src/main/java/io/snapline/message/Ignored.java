package io.snapline.message;

/**
 * A well-formed message that Snapline deliberately does nothing with (a "creating" event, an
 * unrelated RDS event, an SNS subscription confirmation…). It is counted and deleted.
 *
 * @param what   a short label for metrics, e.g. {@code snapshot-creating}, {@code rds-event}
 * @param reason a sentence saying why it is ignored
 */
public record Ignored(String what, String reason) implements SnaplineMessage {

    @Override
    public MessageKind kind() {
        return MessageKind.IGNORED;
    }

    @Override
    public String key() {
        return what;
    }
}
