package io.orbita.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.platform.Signing;
import io.orbita.platform.WorkspaceId;
import org.junit.jupiter.api.Test;

class BounceAddressTest {

    private final BounceAddress verp = new BounceAddress(signing("a-test-secret-of-at-least-32-characters!"));

    static Signing signing(String secret) {
        return Signing.withSecret(secret);
    }

    @Test
    void anAddressNamesItsWorkspaceAndMessage() {
        String address = verp.encode(WorkspaceId.of(7), 123_456_789L, "Bounce.Example.RU");
        assertThat(address).matches("b-7-[0-9a-z]+-[0-9a-f]{16}@bounce\\.example\\.ru");
        assertThat(verp.decode(address)).contains(new BounceAddress.MessageRef(WorkspaceId.of(7), 123_456_789L));
    }

    @Test
    void decodingToleratesCaseAngleBracketsAndAnotherDomain() {
        String address = verp.encode(WorkspaceId.of(7), 99, "bounce.example.ru");
        String local = address.substring(0, address.indexOf('@'));
        assertThat(verp.decode("<" + address.toUpperCase() + ">")).isPresent();
        assertThat(verp.decode(local + "@other.example")).isPresent();
    }

    @Test
    void forgedOrForeignAddressesNameNothing() {
        String address = verp.encode(WorkspaceId.of(7), 99, "bounce.example.ru");
        assertThat(verp.decode(address.replace("b-7-", "b-8-"))).isEmpty();
        assertThat(verp.decode("postmaster@bounce.example.ru")).isEmpty();
        assertThat(verp.decode(null)).isEmpty();
        BounceAddress other = new BounceAddress(signing("another-secret-of-at-least-32-characters"));
        assertThat(other.decode(address)).isEmpty();
    }
}
