package io.snapline.message;

/**
 * RDS's plain-text first message on a new event subscription ("This is a message to notify that RDS
 * will attempt to send you event notifications…", AWS-FACTS §1), bare or as the SNS {@code Message}.
 * Not JSON and not an event: ignored, quoted in the reason so an operator sees which subscription it is.
 */
final class SubscriptionNotice {

    /** How the notice begins (compared ignoring case, after leading white space). */
    static final String TEXT = "This is a message to notify that RDS will attempt to send you";

    private SubscriptionNotice() {
    }

    static boolean recognises(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return text.regionMatches(true, i, TEXT, 0, TEXT.length());
    }

    static Ignored read(String text) {
        return new Ignored("rds-subscription-notice", "RDS's plain-text first message on a new event subscription,"
                + " not an event: " + Reasons.quote(text.strip(), 300));
    }
}
