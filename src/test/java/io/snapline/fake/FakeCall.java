package io.snapline.fake;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as the fake's services see it.
 *
 * @param rawPath     the path as sent (percent-encoded)
 * @param query       decoded query parameters (a bare {@code ?acl} maps to "")
 * @param headers     lower-case header names, first value
 * @param form        decoded form fields of a query-protocol POST, else empty
 * @param accessKeyId from the SigV4 {@code Authorization} header
 */
record FakeCall(String method, String rawPath, Map<String, String> query, Map<String, String> headers, byte[] body,
                Map<String, String> form, String accessKeyId) {

    String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    static Map<String, String> parseForm(String s) {
        Map<String, String> result = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return result;
        }
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            result.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return result;
    }

    /** Decodes one path segment (no '+' for space, unlike forms). */
    static String decodeSegment(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Strips {@code aws-chunked} framing (SigV4 streaming payloads), if the request used it. */
    static byte[] unchunk(Map<String, String> headers, byte[] body) {
        String sha = headers.getOrDefault("x-amz-content-sha256", "");
        String encoding = headers.getOrDefault("content-encoding", "");
        if (!sha.startsWith("STREAMING-") && !encoding.contains("aws-chunked")) {
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int lineEnd = indexOfCrlf(body, i);
            if (lineEnd < 0) {
                break;
            }
            String sizeLine = new String(body, i, lineEnd - i, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            i = lineEnd + 2;
            if (size == 0) {
                break;
            }
            out.write(body, i, size);
            i += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static String accessKeyOf(String authorization) {
        if (authorization == null) {
            return null;
        }
        int c = authorization.indexOf("Credential=");
        if (c < 0) {
            return null;
        }
        int slash = authorization.indexOf('/', c);
        return slash < 0 ? null : authorization.substring(c + "Credential=".length(), slash);
    }

    /** The region of the SigV4 credential scope ({@code Credential=AKID/20261201/ap-northeast-1/rds/aws4_request}). */
    static String regionOf(String authorization) {
        if (authorization == null) {
            return null;
        }
        int c = authorization.indexOf("Credential=");
        if (c < 0) {
            return null;
        }
        String[] scope = authorization.substring(c + "Credential=".length()).split("[,\\s]")[0].split("/");
        return scope.length >= 3 ? scope[2] : null;
    }

    static List<String> segments(String rawPath) {
        String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        int slash = p.indexOf('/');
        return slash < 0 ? List.of(p) : List.of(p.substring(0, slash), p.substring(slash + 1));
    }
}
