package io.snapline.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Slack's request signing, with the example of Slack's documentation ("Verifying requests from Slack"). */
class SlackSignatureTest {

    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String TS = "1531420618";
    static final String BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
            + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url="
            + "https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    @Test
    void slacksOwnExample_verifies() {
        assertThat(SlackCommandsController.verify(SECRET, TS, SIGNATURE, BODY, 1531420618L)).isEmpty();
    }

    @Test
    void anyChange_orATimestampMoreThanFiveMinutesOff_isRefused() {
        assertThat(SlackCommandsController.verify(SECRET, TS, SIGNATURE, BODY + "x", 1531420618L)).isPresent();
        assertThat(SlackCommandsController.verify("other", TS, SIGNATURE, BODY, 1531420618L)).isPresent();
        assertThat(SlackCommandsController.verify(SECRET, TS, SIGNATURE.replace("v0=", "v1="), BODY, 1531420618L)).isPresent();
        assertThat(SlackCommandsController.verify(SECRET, TS, SIGNATURE, BODY, 1531420618L + 301)).isPresent();
        assertThat(SlackCommandsController.verify(SECRET, TS, SIGNATURE, BODY, 1531420618L - 301)).isPresent();
        assertThat(SlackCommandsController.verify(SECRET, TS, SIGNATURE, BODY, 1531420618L + 300)).isEmpty();
        assertThat(SlackCommandsController.verify(null, TS, SIGNATURE, BODY, 1531420618L)).isPresent();
        assertThat(SlackCommandsController.verify(SECRET, "abc", SIGNATURE, BODY, 1531420618L)).isPresent();
        assertThat(SlackCommandsController.verify(SECRET, TS, null, BODY, 1531420618L)).isPresent();
    }
}
