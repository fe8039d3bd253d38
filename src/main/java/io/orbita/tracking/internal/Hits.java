package io.orbita.tracking.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Judges an open or click as it arrives and hands it to the writer; no database work on the request's path. */
@Component
public class Hits {

    static final int MAX_USER_AGENT = 300;
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

    private final HitWriter writer;
    private final MachineRules rules;
    private final Clock clock;

    Hits(HitWriter writer, Clock clock, @Value("${orbita.tracking.scanner-window:PT10S}") Duration scannerWindow) {
        this.writer = writer;
        this.clock = clock;
        this.rules = new MachineRules(scannerWindow);
    }

    public void open(Tokens.MessageRef m, boolean head, String userAgent, String ip) {
        record(m, Hit.OPEN, null, head, userAgent, ip);
    }

    public void click(Tokens.Click c, boolean head, String userAgent, String ip) {
        record(c.message(), Hit.CLICK, c.url(), head, userAgent, ip);
    }

    private void record(Tokens.MessageRef m, String kind, String url, boolean head, String userAgent, String ip) {
        Instant now = clock.instant();
        MachineRules.Verdict v = rules.judge(new MachineRules.Request(Hit.CLICK.equals(kind), head, userAgent, ip, now, m.sentAt()));
        writer.record(new Hit(m.workspace(), m.messageId(), m.contactId(), kind, url, now, truncate(userAgent),
                network(ip), v.machine(), v.reason(), v.via()));
    }

    static String truncate(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return null;
        }
        String s = userAgent.strip();
        return s.length() <= MAX_USER_AGENT ? s : s.substring(0, MAX_USER_AGENT);
    }

    /** The client's network, not its address (privacy): IPv4 /24 and IPv6 /48; null for anything unreadable. */
    static String network(String ip) {
        if (ip == null) {
            return null;
        }
        var v4 = IPV4.matcher(ip);
        if (v4.matches()) {
            return v4.group(1) + "." + v4.group(2) + "." + v4.group(3) + ".0/24";
        }
        if (ip.indexOf(':') >= 0 && IPV6.matcher(ip).matches()) {
            try {
                // A literal, so no name lookup happens.
                byte[] b = java.net.InetAddress.getByName(ip).getAddress();
                if (b.length == 4) {
                    return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
                }
                return String.format("%x:%x:%x::/48", ((b[0] & 0xff) << 8) | (b[1] & 0xff),
                        ((b[2] & 0xff) << 8) | (b[3] & 0xff), ((b[4] & 0xff) << 8) | (b[5] & 0xff));
            } catch (java.net.UnknownHostException e) {
                return null;
            }
        }
        return null;
    }
}
