package io.orbita.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AbTestTest {

    @Test
    void theZStatisticMatchesATextbookExample() {
        // 200/1000 against 150/1000: pooled p = 0.175, se = 0.016992, z = 2.9426.
        double z = AbTest.z(new AbTest.Sample(1, 1000, 200), new AbTest.Sample(2, 1000, 150));
        assertThat(z).isCloseTo(2.9426, within(0.001));
    }

    @Test
    void aRealDifferenceOnGeneratedDataHasAWinner() {
        Random random = new Random(42);
        List<AbTest.Sample> samples = List.of(generated(random, 1, 2000, 0.20), generated(random, 2, 2000, 0.26),
                generated(random, 3, 2000, 0.19));
        AbTest.Decision d = AbTest.decide(samples, 1);
        assertThat(d.significant()).isTrue();
        assertThat(d.winner()).isEqualTo(2);
    }

    @Test
    void noRealDifferenceGivesNoSignificantWinnerAndTheDefaultGoes() {
        Random random = new Random(7);
        int falseWinners = 0;
        for (int round = 0; round < 200; round++) {
            List<AbTest.Sample> samples = new ArrayList<>();
            samples.add(generated(random, 1, 1000, 0.22));
            samples.add(generated(random, 2, 1000, 0.22));
            AbTest.Decision d = AbTest.decide(samples, 2);
            if (d.significant()) {
                falseWinners++;
            } else {
                assertThat(d.winner()).isEqualTo(2);
            }
        }
        // At 95% about one round in twenty finds a "winner" by chance; far more would mean a broken test.
        assertThat(falseWinners).isBetween(0, 25);
    }

    @Test
    void theWilsonIntervalHoldsTheRateAndStaysWithinZeroAndOne() {
        double[] ci = new AbTest.Sample(1, 10, 0).interval();
        assertThat(ci[0]).isEqualTo(0);
        assertThat(ci[1]).isCloseTo(0.2775, within(0.001));
        double[] mid = new AbTest.Sample(1, 100, 50).interval();
        assertThat(mid[0]).isLessThan(0.5);
        assertThat(mid[1]).isGreaterThan(0.5);
    }

    static AbTest.Sample generated(Random random, int variant, int n, double p) {
        long x = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() < p) {
                x++;
            }
        }
        return new AbTest.Sample(variant, n, x);
    }
}
