package io.snapline.handler.export;

/** Posts one line of text to a Slack-compatible incoming webhook ({@code {"text": "..."}}). */
public interface WebhookSender {

    /** Posts the text; throws on transport errors or a non-2xx answer (the caller logs and goes on). */
    void post(String url, String text);
}
