package io.snapline.message;

import java.util.Optional;

/**
 * A Glue crawler changed state ({@code source: aws.glue}, {@code detail-type: Glue Crawler State Change},
 * {@code detail.state} Started, Succeeded or Failed; AWS-FACTS §6). The message is
 * {@code detail.errorMessage} when there is one, else {@code detail.message}.
 */
final class GlueCrawlerEvent {

    private static final Fields.Where DETAIL = new Fields.Where("Glue Crawler State Change", "detail.");

    private GlueCrawlerEvent() {
    }

    static SnaplineMessage read(EventBridgeEvent ev) {
        String name = Fields.reqName(ev.detail(), "crawlerName", DETAIL);
        String state = Fields.reqText(ev.detail(), "state", DETAIL);
        String message = Fields.optText(ev.detail(), "errorMessage", DETAIL);
        if (message == null) {
            message = Fields.optText(ev.detail(), "message", DETAIL);
        }
        return new CrawlerStateChanged(name, state, Optional.ofNullable(message), ev.envelope().time());
    }
}
