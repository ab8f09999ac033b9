package io.snapline.fake;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer of one of the fake's services. */
record FakeReply(int status, String contentType, byte[] body, Map<String, String> headers) {

    static FakeReply xml(int status, String xml) {
        return new FakeReply(status, "application/xml", xml.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
    }

    static FakeReply xml(String xml) {
        return xml(200, xml);
    }

    static FakeReply json(int status, String json) {
        return new FakeReply(status, "application/x-amz-json-1.1", json.getBytes(StandardCharsets.UTF_8),
                new LinkedHashMap<>());
    }

    static FakeReply bytes(byte[] body, String contentType) {
        return new FakeReply(200, contentType, body, new LinkedHashMap<>());
    }

    static FakeReply empty(int status) {
        return new FakeReply(status, null, new byte[0], new LinkedHashMap<>());
    }

    FakeReply header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
