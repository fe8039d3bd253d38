package io.orbita.delivery.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MailClassifierTest {

    private final MailClassifier classifier = new MailClassifier();

    private Classification classify(String raw) {
        return classifier.classify(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAnRfc3464Report() {
        Classification c = classify(InboundIT.dsn("gone@client-a.ru", "5.1.1",
                "550 5.1.1 The email account that you tried to reach does not exist", "b-1-2-0123456789abcdef@bounces.ru"));
        assertThat(c.kind()).isEqualTo(InboundKind.BOUNCE);
        assertThat(c.recipients()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("gone@client-a.ru");
            assertThat(r.status()).isEqualTo("5.1.1");
            assertThat(r.replyCode()).isEqualTo("550");
            assertThat(r.reason()).isEqualTo("userunknown");
            assertThat(r.hard()).isTrue();
        });
        assertThat(c.bounceAddresses()).contains("b-1-2-0123456789abcdef@bounces.ru");
    }

    @Test
    void readsRussianProviderTexts() {
        Classification yandex = classify("""
                From: mailer-daemon@yandex.ru
                To: b-1-2-0123456789abcdef@bounces.ru
                Subject: Недоставленное сообщение
                Content-Type: text/plain; charset=utf-8

                Это письмо отправлено почтовой системой Яндекса.
                Ваше письмо не может быть доставлено получателю.

                <ivanov@yandex.ru>: ящик получателя переполнен, письмо не может быть доставлено.
                """);
        assertThat(yandex.kind()).isEqualTo(InboundKind.BOUNCE);
        assertThat(yandex.recipients()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("ivanov@yandex.ru");
            assertThat(r.reason()).isEqualTo("mailboxfull");
            assertThat(r.hard()).isFalse();
        });
        Classification unknown = classify("""
                From: MAILER-DAEMON@corp.ru
                To: b-1-2-0123456789abcdef@bounces.ru
                Subject: Mail delivery failed
                Content-Type: text/plain; charset=utf-8

                  petrov@corp.ru
                    SMTP error from remote mail server after RCPT TO:<petrov@corp.ru>:
                    550 Пользователь не найден
                """);
        assertThat(unknown.recipients()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("petrov@corp.ru");
            assertThat(r.reason()).isEqualTo("userunknown");
            assertThat(r.replyCode()).isEqualTo("550");
            assertThat(r.hard()).isTrue();
        });
        // The same words answered to the message body (after the address was accepted) come from a filter: soft.
        Classification afterData = classify("""
                From: MAILER-DAEMON@corp.ru
                To: b-1-2-0123456789abcdef@bounces.ru
                Subject: Mail delivery failed
                Content-Type: text/plain; charset=utf-8

                  petrov@corp.ru
                    SMTP error from remote mail server after end of data:
                    550 Пользователь не найден
                """);
        assertThat(afterData.recipients().get(0).reason()).isEqualTo("filtered");
        assertThat(afterData.recipients().get(0).hard()).isFalse();
    }

    @Test
    void tellsAutoRepliesFromReplies() {
        Classification vacation = classify("""
                From: Иван <ivan@client.ru>
                To: anna@orbita.ru
                Subject: Автоответ: Предложение
                Content-Type: text/plain; charset=utf-8

                Я в отпуске.
                """);
        assertThat(vacation.kind()).isEqualTo(InboundKind.AUTO_REPLY);
        assertThat(vacation.recipients().get(0).reason()).isEqualTo("vacation");
        Classification outOfOffice = classify("From: a@b.ru\nSubject: Out of Office: hello\nX-Auto-Response-Suppress: All\n\nAway\n");
        assertThat(outOfOffice.kind()).isEqualTo(InboundKind.AUTO_REPLY);
        Classification reply = classify("""
                From: ivan@client.ru
                To: anna@orbita.ru
                Subject: Re: Предложение
                In-Reply-To: <m-1-a-xyz@orbita.ru>

                Да, интересно.
                """);
        assertThat(reply.kind()).isEqualTo(InboundKind.REPLY);
        assertThat(reply.messageIds()).containsExactly("m-1-a-xyz@orbita.ru");
        assertThat(MessageIdRef.parse(reply.messageIds().get(0))).hasValueSatisfying(ref -> {
            assertThat(ref.workspace().value()).isEqualTo(1);
            assertThat(ref.messageId()).isEqualTo(10);
        });
        assertThat(classify("From: news@shop.ru\nSubject: Weekly news\n\nHello\n").kind()).isEqualTo(InboundKind.OTHER);
    }

    @Test
    void hostileMessagesTakeLinearTime() {
        String letters = "a".repeat(1_000_000);
        String ats = "a@".repeat(300_000);
        String dashes = "-".repeat(500_000);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
            classify("From: MAILER-DAEMON@x.ru\nSubject: Undelivered Mail\n\n" + letters + "\n" + ats + "\n" + dashes + "\n");
            classify("From: a@b.ru\nSubject: hi\n\n" + "x.".repeat(400_000) + "@" + "b-".repeat(100_000) + "\n");
            StringBuilder many = new StringBuilder("From: MAILER-DAEMON@x.ru\nSubject: Undelivered Mail\n\n");
            for (int i = 0; i < 20_000; i++) {
                many.append("user").append(i).append("@domain").append(i).append(".ru: no reason given here\n");
            }
            assertThat(classify(many.toString()).recipients()).hasSizeLessThanOrEqualTo(200);
        });
    }

    @Test
    void refusesWhatIsNotMail() {
        assertThatThrownBy(() -> classify("{\"json\": true}")).isInstanceOf(NotMailException.class);
        assertThatThrownBy(() -> classifier.classify(new byte[0])).isInstanceOf(NotMailException.class);
        assertThatThrownBy(() -> classify("X-Custom: 1\n\nbody")).isInstanceOf(NotMailException.class);
    }
}
