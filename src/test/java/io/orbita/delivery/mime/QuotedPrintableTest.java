package io.orbita.delivery.mime;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuotedPrintableTest {

    private static String encode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        QuotedPrintable.encode(s.getBytes(StandardCharsets.UTF_8), out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static String decode(String qp) throws Exception {
        return new String(MimeUtility.decode(new ByteArrayInputStream(qp.getBytes(StandardCharsets.US_ASCII)),
                "quoted-printable").readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void encodesWhatMustBeEncodedAndKeepsTheRest() {
        assertThat(encode("a=b\r\nПривет \r\nend\t")).isEqualTo("a=3Db\r\n=D0=9F=D1=80=D0=B8=D0=B2=D0=B5=D1=82=20\r\nend=09");
        assertThat(encode("<a href=\"https://x.example/?a=1\">go</a>")).isEqualTo("<a href=3D\"https://x.example/?a=3D1\">go</a>");
    }

    @Test
    void linesStayWithin76CharactersAndEverythingDecodesBackExactly() throws Exception {
        Random random = new Random(42);
        String alphabet = "abc xyz=\t.<>\"Ёжик в тумане€😀";
        for (int round = 0; round < 300; round++) {
            StringBuilder b = new StringBuilder();
            int len = random.nextInt(600);
            for (int i = 0; i < len; i++) {
                b.append(random.nextInt(40) == 0 ? "\r\n" : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
            }
            String text = b.toString().replace("\uD83D", "").replace("\uDE00", "");
            String qp = encode(text);
            for (String line : qp.split("\r\n", -1)) {
                assertThat(line.length()).as(line).isLessThanOrEqualTo(76);
                assertThat(line).doesNotEndWith(" ").doesNotEndWith("\t");
            }
            assertThat(qp.chars().allMatch(c -> c < 127)).isTrue();
            assertThat(decode(qp)).isEqualTo(text);
        }
    }
}
