package io.snapline.message;

import java.time.Instant;
import java.util.Optional;

/** A Glue crawler changed state ({@code Glue Crawler State Change}: Started, Succeeded, Failed). */
public record CrawlerStateChanged(String crawlerName, String state, Optional<String> message, Instant eventTime)
        implements SnaplineMessage {

    public CrawlerStateChanged {
        message = message == null ? Optional.empty() : message;
    }

    @Override
    public MessageKind kind() {
        return MessageKind.CRAWLER_STATE_CHANGED;
    }

    @Override
    public String key() {
        return crawlerName;
    }
}
