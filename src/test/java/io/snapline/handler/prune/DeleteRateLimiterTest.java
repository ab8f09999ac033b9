package io.snapline.handler.prune;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeleteRateLimiterTest {

    @Test
    void spacesCallsByOneOverTheRate() {
        long[] clock = {1_000_000_000L};
        List<Long> slept = new ArrayList<>();
        DeleteRateLimiter limiter = new DeleteRateLimiter(5, () -> clock[0], n -> {
            slept.add(n);
            clock[0] += n;
        });

        for (int i = 0; i < 6; i++) {
            limiter.acquire();
        }
        // first call goes at once; each later one waits 200 ms
        assertThat(slept).containsExactly(200_000_000L, 200_000_000L, 200_000_000L, 200_000_000L, 200_000_000L);

        clock[0] += 1_000_000_000L; // idle for a second: no wait
        limiter.acquire();
        assertThat(slept).hasSize(5);
    }
}
