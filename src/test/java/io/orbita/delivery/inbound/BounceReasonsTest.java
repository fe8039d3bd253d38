package io.orbita.delivery.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BounceReasonsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            550 5.1.1 <ivan@client.ru>: Recipient address rejected: User unknown in local recipient table | userunknown
            552 5.2.2 Mailbox full                                                                       | mailboxfull
            550 Message was not accepted -- invalid mailbox. Local mailbox ivan@mail.ru is unavailable: user not found | userunknown
            Почтовый ящик переполнен                                                                     | mailboxfull
            Адрес получателя не найден                                                                   | userunknown
            Неверный адрес получателя                                                                    | userunknown
            Домен получателя не найден                                                                   | hostunknown
            Ящик получателя заблокирован                                                                 | suspend
            Сообщение отклонено: подозрение на спам                                                      | spamdetected
            Превышен максимальный размер сообщения                                                       | mesgtoobig
            Ваш IP-адрес находится в чёрном списке                                                       | blocked
            550 5.7.1 Message rejected under suspicion of SPAM                                           | spamdetected
            554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org        | blocked
            550 5.7.26 This message does not pass authentication checks (SPF and DKIM both do not pass)  | authfailure
            421 4.7.0 Try again later, closing connection. (EHLO) too many connections                   | toomanyconn
            552 5.3.4 Message size exceeds fixed limit                                                   | mesgtoobig
            550 5.7.1 Relaying denied                                                                    | norelaying
            connect to mx.example.ru[192.0.2.1]:25: Connection timed out                                 | expired
            Host or domain name not found. Name service error for name=example.ru type=MX                | hostunknown
            """)
    void namesTheReason(String text, String reason) {
        assertThat(BounceReasons.fromText(text)).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource({"5.1.1,userunknown", "5.2.2,mailboxfull", "4.4.7,expired", "5.7.25,requireptr", "5.0.0,", "2.0.0,delivered"})
    void statusCodesNameTheirReason(String status, String reason) {
        assertThat(BounceReasons.fromStatus(status)).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource({"userunknown,5.1.1,550,true", "hostunknown,5.1.2,550,true", "mailboxfull,5.2.2,552,false",
            "notaccept,5.1.10,556,true", "notaccept,4.0.0,421,false", "blocked,5.7.1,554,false"})
    void hardOnlyWhenTheAddressIsWrong(String reason, String status, String reply, boolean hard) {
        assertThat(BounceReasons.hard(reason, status, reply)).isEqualTo(hard);
    }
}
