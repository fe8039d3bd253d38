package io.orbita.audience;

/**
 * The Russian taxpayer number (ИНН): 10 digits for an organisation, 12 for an individual entrepreneur, each with
 * check digits computed by the Federal Tax Service's weighted sums mod 11 mod 10.
 */
public final class Inn {

    private static final int[] W10 = {2, 4, 10, 3, 5, 9, 4, 6, 8};
    private static final int[] W11 = {7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
    private static final int[] W12 = {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};

    private Inn() {
    }

    public static boolean isValid(String inn) {
        if (inn == null || !(inn.length() == 10 || inn.length() == 12) || !inn.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        if (inn.length() == 10) {
            return check(inn, W10) == digit(inn, 9);
        }
        return check(inn, W11) == digit(inn, 10) && check(inn, W12) == digit(inn, 11);
    }

    private static int check(String inn, int[] weights) {
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i] * digit(inn, i);
        }
        return sum % 11 % 10;
    }

    private static int digit(String s, int i) {
        return s.charAt(i) - '0';
    }
}
