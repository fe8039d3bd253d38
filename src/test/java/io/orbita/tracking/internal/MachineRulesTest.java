package io.orbita.tracking.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MachineRulesTest {

    private static final Instant SENT = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant LATER = SENT.plus(Duration.ofHours(2));
    private final MachineRules rules = new MachineRules(Duration.ofSeconds(10));

    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String APPLE_MAIL = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)";
    private static final String OUTLOOK = "Mozilla/4.0 (compatible; ms-office; MSOffice 16)";

    @ParameterizedTest(name = "{0} {1} from {3} after {4}s → {5} {6}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            open  | GET  | CHROME                                                                   | 198.51.100.7 | 7200 | false | null
            click | GET  | CHROME                                                                   | 198.51.100.7 | 7200 | false | null
            open  | HEAD | CHROME                                                                   | 198.51.100.7 | 7200 | true  | head_request
            click | HEAD | CHROME                                                                   | 198.51.100.7 | 7200 | true  | head_request
            open  | GET  | null                                                                     | 198.51.100.7 | 7200 | true  | no_user_agent
            open  | GET  | Mozilla/5.0                                                              | 198.51.100.7 | 7200 | true  | apple_mpp
            open  | GET  | APPLE_MAIL                                                               | 17.58.63.12  | 7200 | true  | apple_mpp
            open  | GET  | APPLE_MAIL                                                               | 198.51.100.7 | 7200 | false | null
            open  | GET  | Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy) | 66.249.84.1 | 7200 | false | null
            open  | GET  | YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html | 98.136.0.1   | 7200 | false | null
            click | GET  | Mozilla/5.0 (compatible; Barracuda Sentinel)                             | 198.51.100.7 | 7200 | true  | scanner:barracuda
            click | GET  | Mimecast URL Protect                                                     | 198.51.100.7 | 7200 | true  | scanner:mimecast
            click | GET  | Proofpoint URL Defense                                                   | 198.51.100.7 | 7200 | true  | scanner:proofpoint
            click | GET  | Microsoft Office Existence Discovery                                     | 198.51.100.7 | 7200 | true  | scanner:microsoft_office
            open  | GET  | OUTLOOK                                                                  | 198.51.100.7 | 7200 | false | null
            click | GET  | OUTLOOK                                                                  | 198.51.100.7 | 7200 | true  | scanner:microsoft_office
            click | GET  | Mozilla/5.0 SafeLinks checker                                            | 198.51.100.7 | 7200 | true  | scanner:microsoft
            click | GET  | Symantec MessageLabs link scanner                                        | 198.51.100.7 | 7200 | true  | scanner:symantec
            click | GET  | Cisco IronPort URL Filter                                                | 198.51.100.7 | 7200 | true  | scanner:cisco
            click | GET  | Trend Micro Web Reputation                                               | 198.51.100.7 | 7200 | true  | scanner:trend_micro
            click | GET  | Kaspersky Security Network                                               | 198.51.100.7 | 7200 | true  | scanner:kaspersky
            click | GET  | Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) | 66.249.66.1  | 7200 | true  | bot
            click | GET  | curl/8.5.0                                                               | 198.51.100.7 | 7200 | true  | bot
            click | GET  | python-requests/2.32.3                                                   | 198.51.100.7 | 7200 | true  | bot
            click | GET  | Mozilla/5.0 HeadlessChrome/120.0                                         | 198.51.100.7 | 7200 | true  | bot
            click | GET  | CHROME                                                                   | 198.51.100.7 | 3    | true  | too_soon
            click | GET  | CHROME                                                                   | 198.51.100.7 | 10   | false | null
            open  | GET  | CHROME                                                                   | 198.51.100.7 | 3    | false | null
            """)
    void judges(String kind, String method, String agent, String ip, long secondsAfterSending, boolean machine, String reason) {
        String ua = switch (agent == null ? "" : agent) {
            case "CHROME" -> CHROME;
            case "APPLE_MAIL" -> APPLE_MAIL;
            case "OUTLOOK" -> OUTLOOK;
            default -> agent;
        };
        MachineRules.Verdict v = rules.judge(new MachineRules.Request(kind.equals("click"), method.equals("HEAD"), ua, ip,
                SENT.plusSeconds(secondsAfterSending), SENT));
        assertThat(v.machine()).isEqualTo(machine);
        assertThat(v.reason()).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy) | google
            YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html                 | yahoo
            """)
    void imageProxiesAreHumanOpensMarkedWithTheProxy(String ua, String via) {
        MachineRules.Verdict v = rules.judge(new MachineRules.Request(false, false, ua, "66.249.84.1", LATER, SENT));
        assertThat(v).isEqualTo(new MachineRules.Verdict(false, null, via));
    }
}
