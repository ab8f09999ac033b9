package io.snapline.web.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.snapline.config.ConsoleProperties;
import io.snapline.message.SafeText;
import jakarta.inject.Singleton;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may change something through the console, and how a request proves it.
 *
 * <ul>
 *   <li>Read-only pages are open. Every action needs the bearer token {@code snapline.console.token}:
 *       either in an {@code Authorization: Bearer} header (scripts; a browser cannot add that header
 *       to a cross-site request, so no CSRF check is needed), or once at sign-in, which opens a
 *       session held in memory and named by an {@code HttpOnly}, {@code SameSite=Strict} cookie.</li>
 *   <li>A session's forms carry its synchronizer token ({@code csrf}), compared in constant time;
 *       and a request whose {@code Origin} (or, without it, {@code Referer}) names another host than
 *       the one asked is refused, whatever it carries. Sign-in is checked the same way.</li>
 *   <li>Without a configured token there is nothing to sign in with: every action is refused and
 *       the pages say so.</li>
 *   <li>Who asked: the operator name given at sign-in (or "bearer token"), the session's short id,
 *       the peer address and {@code X-Forwarded-For}; every action is logged with it.</li>
 * </ul>
 * Sessions live in this process only: a restart, or a second task behind a load balancer without
 * sticky sessions, asks for the token again.
 */
@Singleton
public class ConsoleSecurity {

    static final String COOKIE = "snapline_console";
    static final int MAX_SESSIONS = 1000;

    /** A signed-in operator: the name they gave, the form token, and a message to show on the next page. */
    static final class Session {
        final String id;
        final String operator;
        final String csrf;
        final Instant expires;
        volatile String flash;

        Session(String id, String operator, String csrf, Instant expires) {
            this.id = id;
            this.operator = operator;
            this.csrf = csrf;
            this.expires = expires;
        }

        String shortId() {
            return id.substring(0, 8);
        }
    }

    /** Who asked for an action, as logged. */
    record Requester(String operator, String via, String from) {
        @Override
        public String toString() {
            return "'" + operator + "' (" + via + ", from " + from + ")";
        }
    }

    /** The answer to "may this request act?": a requester, or why not and with which status. */
    record Verdict(Optional<Requester> requester, int status, String refusal, Optional<Session> session) {
        static Verdict allowed(Requester r, Optional<Session> s) {
            return new Verdict(Optional.of(r), 200, "", s);
        }

        static Verdict refused(int status, String why) {
            return new Verdict(Optional.empty(), status, why, Optional.empty());
        }

        boolean ok() {
            return requester.isPresent();
        }
    }

    private final ConsoleProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public ConsoleSecurity(ConsoleProperties properties) {
        this(properties, Clock.systemUTC());
    }

    ConsoleSecurity(ConsoleProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** True when a token is configured, so actions can be allowed at all. */
    public boolean actionsEnabled() {
        return properties.configuredToken().isPresent();
    }

    boolean tokenMatches(String given) {
        Optional<String> token = properties.configuredToken();
        if (token.isEmpty() || given == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(token.get()), sha256(given));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The live session the request's cookie names, if any. */
    Optional<Session> session(HttpRequest<?> request) {
        return request.getCookies().findCookie(COOKIE).map(Cookie::getValue).map(sessions::get)
                .filter(s -> s.expires.isAfter(clock.instant()));
    }

    /** Opens a session for an operator who gave the right token; the cookie to set. */
    Cookie open(String operator, HttpRequest<?> request) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !s.expires.isAfter(now));
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(Comparator.comparing(s -> s.expires)).ifPresent(s -> sessions.remove(s.id));
        }
        Session s = new Session(randomToken(), SafeText.of(operator, 80), randomToken(),
                now.plus(properties.sessionTtl()));
        sessions.put(s.id, s);
        return cookie(s.id, request).maxAge(properties.sessionTtl());
    }

    Cookie close(HttpRequest<?> request) {
        session(request).ifPresent(s -> sessions.remove(s.id));
        return cookie("", request).maxAge(0);
    }

    private static Cookie cookie(String value, HttpRequest<?> request) {
        return Cookie.of(COOKIE, value).httpOnly(true).sameSite(SameSite.Strict).path("/")
                .secure("https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"))
                        || request.isSecure());
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Whether the request may perform an action: a configured token, a same-origin request, and
     * either the bearer header or a session with its form token.
     */
    Verdict authorize(HttpRequest<?> request, Map<String, String> form) {
        if (!actionsEnabled()) {
            return Verdict.refused(403, "actions are disabled: snapline.console.token is not configured");
        }
        Optional<String> crossSite = crossSite(request);
        if (crossSite.isPresent()) {
            return Verdict.refused(403, crossSite.get());
        }
        String authorization = request.getHeaders().get("Authorization");
        if (authorization != null) {
            if (authorization.regionMatches(true, 0, "Bearer ", 0, 7) && tokenMatches(authorization.substring(7).trim())) {
                return Verdict.allowed(new Requester("bearer token", "Authorization header", from(request)),
                        Optional.empty());
            }
            return Verdict.refused(401, "the bearer token is wrong");
        }
        Optional<Session> session = session(request);
        if (session.isEmpty()) {
            return Verdict.refused(401, "sign in with the console token first");
        }
        String csrf = form.get("csrf");
        if (csrf == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                session.get().csrf.getBytes(StandardCharsets.UTF_8))) {
            return Verdict.refused(403, "the form's CSRF token is missing or wrong; reload the page and try again");
        }
        return Verdict.allowed(new Requester(session.get().operator, "session " + session.get().shortId(),
                from(request)), session);
    }

    /** Why the request comes from another site, if it does (its Origin, or else its Referer, names another host). */
    Optional<String> crossSite(HttpRequest<?> request) {
        String host = request.getHeaders().get("Host");
        String origin = request.getHeaders().get("Origin");
        String referer = request.getHeaders().get("Referer");
        String claimed = origin != null ? origin : referer;
        if (claimed == null) {
            return Optional.empty();
        }
        String claimedHost;
        try {
            claimedHost = "null".equals(claimed) ? null : URI.create(claimed.trim()).getRawAuthority();
        } catch (IllegalArgumentException e) {
            claimedHost = null;
        }
        if (host == null || claimedHost == null || !claimedHost.equalsIgnoreCase(host.trim())) {
            return Optional.of("refused a cross-site request (" + (origin != null ? "Origin " : "Referer ")
                    + SafeText.of(claimed, 200) + " is not this console, " + SafeText.of(host, 200) + ")");
        }
        return Optional.empty();
    }

    static String from(HttpRequest<?> request) {
        String peer = request.getRemoteAddress() == null ? "?" : request.getRemoteAddress().getAddress() == null
                ? request.getRemoteAddress().getHostString() : request.getRemoteAddress().getAddress().getHostAddress();
        String forwarded = request.getHeaders().get("X-Forwarded-For");
        return SafeText.of(peer + (forwarded == null ? "" : ", X-Forwarded-For " + forwarded), 300);
    }
}
