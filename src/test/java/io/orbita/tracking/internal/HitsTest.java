package io.orbita.tracking.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HitsTest {

    @Test
    void keepsOnlyTheClientsNetwork() {
        assertThat(Hits.network("203.0.113.77")).isEqualTo("203.0.113.0/24");
        assertThat(Hits.network("2001:db8:85a3:1234::8a2e:370:7334")).isEqualTo("2001:db8:85a3::/48");
        assertThat(Hits.network("::ffff:203.0.113.77")).isEqualTo("203.0.113.0/24");
        assertThat(Hits.network("not-an-ip.example")).isNull();
        assertThat(Hits.network(null)).isNull();
    }

    @Test
    void truncatesLongUserAgents() {
        assertThat(Hits.truncate("x".repeat(1000))).hasSize(Hits.MAX_USER_AGENT);
        assertThat(Hits.truncate("  ")).isNull();
    }
}
