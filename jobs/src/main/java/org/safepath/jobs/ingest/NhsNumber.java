package org.safepath.jobs.ingest;

/** NHS number validation (NHS Data Dictionary: 10 digits, the last a modulus-11 check digit). */
public final class NhsNumber {
    private NhsNumber() {
    }

    public static boolean isValid(String candidate) {
        if (candidate == null) {
            return false;
        }
        String digits = candidate.replace(" ", "").replace("-", "");
        if (digits.length() != 10 || !digits.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (digits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        // A remainder giving 10 means no valid check digit exists for those nine digits.
        return check != 10 && check == digits.charAt(9) - '0';
    }
}
