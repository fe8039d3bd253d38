package io.orbita.campaigns;

import java.util.List;

/**
 * The A/B decision: each variant's rate (unique opens or clicks over delivered) and a two-proportion z-test of the best
 * variant against every other at 95% (two-sided, |z| &gt; 1.96). The best wins only when it beats each other variant
 * significantly; otherwise there is "no significant winner" and the chosen default goes.
 *
 * <p>For attributed revenue the figure is revenue per delivered letter (most letters earn nothing, a few earn a lot),
 * and the test is Welch's t-test of the best variant's mean against every other at 95% (two-sided, unequal variances,
 * Welch–Satterthwaite degrees of freedom): a t-test on means stays valid for such skewed data at the sample sizes of a
 * campaign test (hundreds of letters and more) by the central limit theorem.
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

    /**
     * One variant's attributed revenue: {@code n} delivered letters whose per-letter revenues sum to {@code sum} with
     * squares summing to {@code sumSquares} (letters without an order count as zero).
     */
    public record RevenueSample(int variant, long n, double sum, double sumSquares) {

        public double mean() {
            return n == 0 ? 0 : sum / n;
        }

        /** The unbiased sample variance of per-letter revenue. */
        public double variance() {
            if (n < 2) {
                return 0;
            }
            return Math.max(0, (sumSquares - sum * sum / n) / (n - 1));
        }

        /** The 95% confidence interval of revenue per letter (Student's t with n - 1 degrees of freedom). */
        public double[] interval() {
            if (n < 2) {
                return new double[] {0, n == 0 ? 0 : mean()};
            }
            double half = tCritical(n - 1) * Math.sqrt(variance() / n);
            return new double[] {mean() - half, mean() + half};
        }
    }

    /** Welch's t statistic and its degrees of freedom for the difference of two means. */
    public record Welch(double t, double df) {
    }

    public static Welch welch(RevenueSample a, RevenueSample b) {
        if (a.n() < 2 || b.n() < 2) {
            return new Welch(0, 1);
        }
        double va = a.variance() / a.n();
        double vb = b.variance() / b.n();
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            return new Welch(0, a.n() + b.n() - 2);
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
        return new Welch((a.mean() - b.mean()) / se, df);
    }

    /**
     * The two-sided 95% critical value of Student's t: the Cornish–Fisher expansion around the normal quantile, within
     * 0.001 of the exact value from 5 degrees of freedom up (12.71 at 1, 4.30 at 2 are tabulated).
     */
    public static double tCritical(double df) {
        if (df < 1.5) {
            return 12.706;
        }
        if (df < 2.5) {
            return 4.303;
        }
        if (df < 3.5) {
            return 3.182;
        }
        if (df < 4.5) {
            return 2.776;
        }
        double z = Z95;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double z7 = z5 * z * z;
        return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df * df * df);
    }

    /** As {@link #decide} for attributed revenue per letter, with Welch's t-test; {@code minZ} is the smallest t. */
    public static Decision decideRevenue(List<RevenueSample> samples, int defaultVariant) {
        RevenueSample best = samples.getFirst();
        for (RevenueSample s : samples) {
            if (s.mean() > best.mean()) {
                best = s;
            }
        }
        double minT = Double.POSITIVE_INFINITY;
        boolean significant = true;
        for (RevenueSample s : samples) {
            if (s != best) {
                Welch w = welch(best, s);
                minT = Math.min(minT, w.t());
                significant &= w.t() > tCritical(w.df());
            }
        }
        significant &= samples.size() > 1;
        return new Decision(significant ? best.variant() : defaultVariant, significant, best.variant(), minT);
    }
}
