package io.orbita.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Without ORBITA_SECRET every node of an installation signs with the one secret the first node stored. */
class SigningIT extends OrbitaIT {

    @Autowired
    Signing signing;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anotherNodeOnTheSameDatabaseVerifiesWhatThisOneSigned() {
        String token = signing.sign("test", "42");
        Signing otherNode = new Signing(jdbc, "");
        assertThat(otherNode.verify("test", token)).contains("42");
        assertThat(otherNode.decrypt("test", signing.encrypt("test", new byte[] {1, 2, 3}))).containsExactly(1, 2, 3);
        assertThat(jdbc.sql("select count(*) from installation_secret").query(Long.class).single()).isEqualTo(1);
    }
}
