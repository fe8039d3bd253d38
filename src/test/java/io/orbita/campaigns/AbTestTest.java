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

    @Test
    void welchsTMatchesATextbookExample() {
        // a: n=10, mean 20, sd 2; b: n=20, mean 18, sd 4 -> se = sqrt(0.4 + 0.8) = 1.0954, t = 1.8257,
        // df = 1.2^2 / (0.4^2/9 + 0.8^2/19) = 27.98 (Welch-Satterthwaite).
        AbTest.RevenueSample a = sample(1, 10, 20, 2);
        AbTest.RevenueSample b = sample(2, 20, 18, 4);
        AbTest.Welch w = AbTest.welch(a, b);
        assertThat(w.t()).isCloseTo(1.8257, within(0.001));
        assertThat(w.df()).isCloseTo(27.98, within(0.01));
        // Student's t quantiles: 2.571 at 5, 2.228 at 10, 2.042 at 30, 1.984 at 100 degrees of freedom.
        assertThat(AbTest.tCritical(5)).isCloseTo(2.571, within(0.005));
        assertThat(AbTest.tCritical(10)).isCloseTo(2.228, within(0.002));
        assertThat(AbTest.tCritical(30)).isCloseTo(2.042, within(0.001));
        assertThat(AbTest.tCritical(100)).isCloseTo(1.984, within(0.001));
        double[] ci = a.interval();
        assertThat(ci[0]).isCloseTo(20 - 2.262 * 2 / Math.sqrt(10), within(0.01));
    }

    @Test
    void revenueWithARealDifferenceOnGeneratedDataHasAWinner() {
        // Most letters earn nothing; 3% of variant 2's recipients buy for about 5,000 against 2% in the others.
        Random random = new Random(11);
        List<AbTest.RevenueSample> samples = List.of(revenue(random, 1, 20_000, 0.02, 5000), revenue(random, 2, 20_000, 0.03, 5000),
                revenue(random, 3, 20_000, 0.02, 5000));
        AbTest.Decision d = AbTest.decideRevenue(samples, 1);
        assertThat(d.significant()).isTrue();
        assertThat(d.winner()).isEqualTo(2);
        assertThat(samples.get(1).interval()[0]).isGreaterThan(0);
    }

    @Test
    void revenueWithNoRealDifferenceGivesNoSignificantWinnerAndTheDefaultGoes() {
        Random random = new Random(5);
        int falseWinners = 0;
        for (int round = 0; round < 200; round++) {
            List<AbTest.RevenueSample> samples = List.of(revenue(random, 1, 2000, 0.03, 5000), revenue(random, 2, 2000, 0.03, 5000));
            AbTest.Decision d = AbTest.decideRevenue(samples, 1);
            if (d.significant()) {
                falseWinners++;
            } else {
                assertThat(d.winner()).isEqualTo(1);
            }
        }
        // Best against the other at 95% two-sided: about 2.5% of rounds by chance; far more would be a broken test.
        assertThat(falseWinners).isBetween(0, 20);
    }

    static AbTest.RevenueSample sample(int variant, int n, double mean, double sd) {
        // Sums that give exactly this mean and sample standard deviation.
        double sum = n * mean;
        double sumSquares = sd * sd * (n - 1) + sum * sum / n;
        return new AbTest.RevenueSample(variant, n, sum, sumSquares);
    }

    /** n letters; each buys with probability p, for an exponential amount of the given mean. */
    static AbTest.RevenueSample revenue(Random random, int variant, int n, double p, double meanOrder) {
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() < p) {
                double x = -meanOrder * Math.log(1 - random.nextDouble());
                sum += x;
                squares += x * x;
            }
        }
        return new AbTest.RevenueSample(variant, n, sum, squares);
    }
}
