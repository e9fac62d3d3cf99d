package org.safepath.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The board view's disclosure control, against DOMAIN.md's rule worked by hand. */
class DisclosureTest {

    @Test
    void countsOfOneToFourAreSuppressedAndOthersRoundedToTheNearestFive() {
        assertThat(Disclosure.count(0)).isEqualTo("0");
        assertThat(Disclosure.count(1)).isEqualTo("[c]");
        assertThat(Disclosure.count(4)).isEqualTo("[c]");
        assertThat(Disclosure.count(5)).isEqualTo("5");
        assertThat(Disclosure.count(7)).isEqualTo("5");
        assertThat(Disclosure.count(8)).isEqualTo("10");
        assertThat(Disclosure.count(12)).isEqualTo("10");
        assertThat(Disclosure.count(13)).isEqualTo("15");
        assertThat(Disclosure.count(102)).isEqualTo("100");
    }

    @Test
    void aRateFromASuppressedCountIsSuppressed() {
        assertThat(Disclosure.suppressed(3)).isTrue();
        assertThat(Disclosure.suppressed(0)).isFalse();
        assertThat(Disclosure.suppressed(5)).isFalse();
    }
}
