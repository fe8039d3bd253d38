package io.orbita.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.orbita.delivery.dkim.DkimKeys;
import io.orbita.delivery.dkim.DkimSigner;
import io.orbita.delivery.mime.HeaderText;
import io.orbita.delivery.mime.Letter;
import io.orbita.delivery.mime.MailAddress;
import io.orbita.delivery.mime.MessageComposer;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MessageComposerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private static Letter letter(String fromName, String toName, String toEmail, String subject, boolean marketing) {
        return new Letter(MailAddress.of(fromName, "anna@shop.example"), MailAddress.of(toName, toEmail),
                MailAddress.of(fromName, "anna@shop.example"), subject,
                "<p>Здравствуйте, Иван!</p><p>" + "Длинная строка текста ".repeat(20) + "</p>",
                "Здравствуйте, Иван!\n\n" + "Длинная строка текста ".repeat(20), marketing,
                marketing ? "https://orbita.example/u/tok.sig" : null, marketing ? "u-tok@bounce.example" : null,
                marketing ? "news.7.orbita" : null, marketing ? "c1:news:7:orbita" : null, "m1.7@shop.example", NOW);
    }

    private static MimeMessage parse(byte[] raw) throws Exception {
        Properties p = new Properties();
        p.put("mail.mime.allowutf8", "true");
        return new MimeMessage(Session.getInstance(p), new ByteArrayInputStream(raw));
    }

    @Test
    void writesStrictHeadersWithEncodedCyrillic() throws Exception {
        byte[] raw = MessageComposer.compose(letter("Анна Смирнова", "Иван Петров", "ivan@пример.рф",
                "Ваш персональный менеджер: предложение на декабрь с очень длинной темой письма", true)).raw();
        String text = new String(raw, StandardCharsets.US_ASCII);
        String head = text.substring(0, text.indexOf("\r\n\r\n"));
        // Only ASCII, CRLF line ends, no line longer than 78 in the header.
        assertThat(new String(raw, StandardCharsets.ISO_8859_1).chars().allMatch(c -> c < 128)).isTrue();
        assertThat(text.replace("\r\n", "")).doesNotContain("\n", "\r");
        assertThat(Arrays.stream(head.split("\r\n")).mapToInt(String::length).max().orElse(0)).isLessThanOrEqualTo(78);
        assertThat(head).contains("To: =?UTF-8?B?", "\r\n <ivan@xn--e1afmkfd.xn--p1ai>", "Subject: =?UTF-8?B?",
                "List-Unsubscribe: <https://orbita.example/u/tok.sig>,\r\n <mailto:u-tok@bounce.example>",
                "List-Unsubscribe-Post: List-Unsubscribe=One-Click", "List-Id: <news.7.orbita>",
                "Feedback-ID: c1:news:7:orbita", "Message-ID: <m1.7@shop.example>", "Date: Mon, 23 Nov 2026 10:00:00 +0000",
                "MIME-Version: 1.0");
        MimeMessage m = parse(raw);
        assertThat(m.getSubject()).isEqualTo("Ваш персональный менеджер: предложение на декабрь с очень длинной темой письма");
        assertThat(((InternetAddress) m.getFrom()[0]).getPersonal()).isEqualTo("Анна Смирнова");
        assertThat(((InternetAddress) m.getRecipients(jakarta.mail.Message.RecipientType.TO)[0]).getPersonal()).isEqualTo("Иван Петров");
        MimeMultipart mp = (MimeMultipart) m.getContent();
        assertThat(mp.getContentType()).startsWith("multipart/alternative");
        assertThat(mp.getBodyPart(0).getContent().toString()).startsWith("Здравствуйте, Иван!\r\n\r\nДлинная строка");
        assertThat(mp.getBodyPart(1).getContent().toString()).contains("<p>Здравствуйте, Иван!</p>");
        assertThat(MessageComposer.compose(letter("A", "B", "b@x.example", "s", false)).smtputf8()).isFalse();
    }

    @Test
    void transactionalMailHasNoListHeaders() {
        String head = new String(MessageComposer.compose(letter("Anna", "Ivan", "ivan@x.example", "Order 5", false)).raw(),
                StandardCharsets.US_ASCII);
        assertThat(head).doesNotContain("List-Unsubscribe", "List-Id").contains("From: \"Anna\" <anna@shop.example>");
    }

    @Test
    void cyrillicLocalPartNeedsSmtpUtf8() {
        var c = MessageComposer.compose(letter("Анна", "Иван", "иван@пример.рф", "Привет", true));
        assertThat(c.smtputf8()).isTrue();
        assertThat(new String(c.raw(), StandardCharsets.UTF_8)).contains("<иван@xn--e1afmkfd.xn--p1ai>");
    }

    @Test
    void headerInjectionThroughContactDataIsNeutralised() throws Exception {
        String evilName = "Ivan\r\nBcc: victim@evil.example\r\n";
        String evilSubject = "Hello\r\nBcc: victim@evil.example\nX-Injected: yes\rContent-Type: text/plain\r\n\r\nbody";
        byte[] raw = MessageComposer.compose(letter("Anna\nX-Evil: 1", evilName, "ivan@x.example", evilSubject, true)).raw();
        String text = new String(raw, StandardCharsets.UTF_8);
        String head = text.substring(0, text.indexOf("\r\n\r\n"));
        for (String line : head.split("\r\n")) {
            assertThat(line).doesNotStartWith("Bcc").doesNotStartWith("X-Injected").doesNotStartWith("X-Evil");
        }
        MimeMessage m = parse(raw);
        assertThat(m.getHeader("Bcc")).isNull();
        assertThat(m.getHeader("X-Injected")).isNull();
        assertThat(m.getHeader("Content-Type", null)).startsWith("multipart/alternative");
        assertThat(m.getSubject()).isEqualTo("Hello Bcc: victim@evil.example X-Injected: yes Content-Type: text/plain body");
        assertThat(HeaderText.clean("a\u0000b\u2028c\td")).isEqualTo("a b c d");
        // A long name split into several encoded words decodes without stray spaces.
        assertThat(((InternetAddress) m.getFrom()[0]).getPersonal()).isEqualTo("Anna X-Evil: 1");
        MimeMessage longName = parse(MessageComposer.compose(letter("Анна Смирнова\r\nBcc: spy@evil.example", "B",
                "b@x.example", "s", false)).raw());
        assertThat(((InternetAddress) longName.getFrom()[0]).getPersonal()).isEqualTo("Анна Смирнова Bcc: spy@evil.example");
        // An address cannot carry a header either: it is refused.
        assertThatThrownBy(() -> MailAddress.of(null, "ivan@x.example\r\nBcc: v@evil.example")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MailAddress.of(null, "\"a b\"@x.example")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dkimSignaturesVerifyWithAnIndependentVerifier() throws Exception {
        assumeTrue(DkimVerifier.available(), "python3-dkim (dkimpy) with nacl is not installed: independent DKIM check skipped");
        var rsa = DkimKeys.generate("rsa");
        var ed = DkimKeys.generate("ed25519");
        byte[] raw = MessageComposer.compose(letter("Анна Смирнова", "Иван\r\nBcc: x@y.z", "ivan@пример.рф",
                "Тема   с  пробелами\tи табами", true)).raw();
        byte[] signed = DkimSigner.sign(raw, List.of(
                new DkimSigner.Key("shop.example", "orbita1", "rsa", rsa.getPrivate()),
                new DkimSigner.Key("shop.example", "orbita2", "ed25519", ed.getPrivate())), NOW);
        Map<String, String> dns = Map.of(
                "orbita1._domainkey.shop.example", DkimKeys.txtRecord("rsa", rsa.getPublic().getEncoded()),
                "orbita2._domainkey.shop.example", DkimKeys.txtRecord("ed25519", ed.getPublic().getEncoded()));
        assertThat(DkimVerifier.verify(signed, dns)).isEqualTo("ok ok");
        // The verifier is not a rubber stamp: one changed byte in the body fails both signatures.
        byte[] tampered = signed.clone();
        int at = new String(tampered, StandardCharsets.ISO_8859_1).lastIndexOf("Content-Transfer-Encoding") + 40;
        tampered[at] = (byte) (tampered[at] == 'A' ? 'B' : 'A');
        assertThat(DkimVerifier.verify(tampered, dns)).isEqualTo("fail fail");
    }
}
