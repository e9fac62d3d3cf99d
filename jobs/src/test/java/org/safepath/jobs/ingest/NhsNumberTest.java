package org.safepath.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NhsNumberTest {

    @Test
    void acceptsNumbersWhoseLastDigitIsTheModulus11CheckDigit() {
        // 943 476 5919: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 mod 11 = 2; 11-2 = 9.
        assertThat(NhsNumber.isValid("9434765919")).isTrue();
        assertThat(NhsNumber.isValid("943 476 5919")).isTrue();
        // 401 023 2137: 4*10+0+1*8+0+2*6+3*5+2*4+1*3+3*2 = 92; 92 mod 11 = 4; 11-4 = 7.
        assertThat(NhsNumber.isValid("4010232137")).isTrue();
    }

    @Test
    void rejectsAWrongCheckDigitAWrongLengthAndNineDigitsWithNoValidCheckDigit() {
        assertThat(NhsNumber.isValid("9434765918")).isFalse();
        assertThat(NhsNumber.isValid("943476591")).isFalse();
        assertThat(NhsNumber.isValid("94347659190")).isFalse();
        assertThat(NhsNumber.isValid("94347659l9")).isFalse();
        // 123456789: sum 210, 210 mod 11 = 1, 11-1 = 10: no digit can be right.
        assertThat(NhsNumber.isValid("1234567890")).isFalse();
        assertThat(NhsNumber.isValid(null)).isFalse();
    }
}
