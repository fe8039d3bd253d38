package io.orbita.tracking.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocationsTest {

    @Test
    void nonAsciiLinksBecomeAsciiLocations() {
        assertThat(Locations.ascii("https://пример.рф/путь?q=линза"))
                .isEqualTo("https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C?q=%D0%BB%D0%B8%D0%BD%D0%B7%D0%B0");
        assertThat(Locations.ascii("https://shop.example:8443/a?b=c%20d#e")).isEqualTo("https://shop.example:8443/a?b=c%20d#e");
        assertThat(Locations.ascii("https://a.example/x\r\nSet-Cookie: y")).doesNotContain("\r", "\n", " ");
    }
}
