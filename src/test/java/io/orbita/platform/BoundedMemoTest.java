package io.orbita.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedMemoTest {

    @Test
    void computesEachKeyOnceUntilFullThenStartsOver() {
        AtomicInteger calls = new AtomicInteger();
        BoundedMemo<Integer, String> memo = new BoundedMemo<>(3);
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < 3; k++) {
                assertThat(memo.get(k, x -> { calls.incrementAndGet(); return "v" + x; })).isEqualTo("v" + k);
            }
        }
        assertThat(calls).hasValue(3);
        memo.get(99, x -> "v99");
        assertThat(memo.size()).as("forgot all at the limit, then kept the new key").isEqualTo(1);
        assertThat(memo.get(5, x -> null)).isNull();
        assertThat(memo.size()).as("null answers are not kept").isEqualTo(1);
    }
}
