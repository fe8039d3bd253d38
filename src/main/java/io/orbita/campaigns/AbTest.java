package io.orbita.campaigns;

import java.util.List;

/**
 * The A/B decision: each variant's rate (unique opens or clicks over delivered) and a two-proportion z-test of the best
 * variant against every other at 95% (two-sided, |z| &gt; 1.96). The best wins only when it beats each other variant
 * significantly; otherwise there is "no significant winner" and the chosen default goes.
 */
public final class AbTest {

    /** Two-sided critical value at 95%. */
    public static final double Z95 = 1.959964;

    private AbTest() {
    }

    /** One variant's trials (delivered) and successes (unique opens or clicks). */
    public record Sample(int variant, long trials, long successes) {

        public double rate() {
            return trials == 0 ? 0 : (double) successes / trials;
        }

        /** The 95% Wilson score interval of the rate: honest with small samples and rates near 0 or 1. */
        public double[] interval() {
            if (trials == 0) {
                return new double[] {0, 1};
            }
            double n = trials;
            double p = rate();
            double z2 = Z95 * Z95;
            double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
            double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
            return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
        }
    }

    /** @param winner the variant that goes to the rest; {@code significant} false means it is the default */
    public record Decision(int winner, boolean significant, int best, double minZ) {
    }

    /** The z statistic of the difference of two proportions, with the pooled standard error; 0 when undefined. */
    public static double z(Sample a, Sample b) {
        if (a.trials() == 0 || b.trials() == 0) {
            return 0;
        }
        double pooled = (double) (a.successes() + b.successes()) / (a.trials() + b.trials());
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / a.trials() + 1.0 / b.trials()));
        return se == 0 ? 0 : (a.rate() - b.rate()) / se;
    }

    public static Decision decide(List<Sample> samples, int defaultVariant) {
        Sample best = samples.getFirst();
        for (Sample s : samples) {
            if (s.rate() > best.rate()) {
                best = s;
            }
        }
        double minZ = Double.POSITIVE_INFINITY;
        for (Sample s : samples) {
            if (s != best) {
                minZ = Math.min(minZ, z(best, s));
            }
        }
        boolean significant = minZ > Z95;
        return new Decision(significant ? best.variant() : defaultVariant, significant, best.variant(), minZ);
    }
}
