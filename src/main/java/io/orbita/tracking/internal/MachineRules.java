package io.orbita.tracking.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which opens and clicks were made by machines rather than people. Machine hits are recorded and flagged, never
 * dropped; reports show human figures by default. The first rule of {@link #rules} that matches names the reason.
 *
 * <p>Choices worth knowing:
 * <ul>
 * <li>Apple Mail Privacy Protection fetches every image of every letter when it arrives, whether or not the person
 *     reads it: such opens say nothing, so they are machine opens.</li>
 * <li>Google's and Yahoo's image proxies fetch when the person opens the letter (and cache afterwards): they are real
 *     opens made through a proxy, so they count as human and are only marked {@code via} the proxy.</li>
 * <li>"Microsoft Office" and "ms-office" agents are link checkers and previewers when they <em>click</em>, but Outlook
 *     for Windows fetches images with such an agent when a person reads a letter, so for opens they are human.</li>
 * <li>A click within {@code scannerWindow} (10 s by default) of sending is a security gateway's: no one reads and
 *     clicks that fast. Several different links of one message clicked within one second are flagged too
 *     ({@link #BURST}); that rule needs the other clicks, so the writer applies it in the database.</li>
 * </ul>
 */
public final class MachineRules {

    /** What is known about one hit when it arrives. */
    public record Request(boolean click, boolean head, String userAgent, String ip, Instant at, Instant sentAt) {
        String ua() {
            return userAgent == null ? "" : userAgent.strip().toLowerCase(Locale.ROOT);
        }
    }

    /** The verdict: machine or not, why, and which image proxy (if any) fetched on a person's behalf. */
    public record Verdict(boolean machine, String reason, String via) {
        static final Verdict HUMAN = new Verdict(false, null, null);
    }

    enum Applies { OPENS, CLICKS, BOTH }

    record Rule(String reason, Applies applies, Predicate<Request> test) {
    }

    /** Reason stored for clicks on several links of one message within one second (applied by the writer). */
    public static final String BURST = "burst";

    private static final Pattern BOT = Pattern.compile(
            "bot\\b|bot/|crawler|spider|slurp|facebookexternalhit|linkexpanding|preview|headless|phantomjs|"
            + "^curl/|^wget/|python-|^java/|go-http-client|okhttp|libwww|httpclient|scrapy|^axios/|node-fetch");

    private static Predicate<Request> agent(String... parts) {
        return r -> {
            String ua = r.ua();
            for (String p : parts) {
                if (ua.contains(p)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** The rules in order; the first match names the reason. */
    static List<Rule> rules(Duration scannerWindow) {
        return List.of(
            new Rule("head_request", Applies.BOTH, Request::head),
            new Rule("no_user_agent", Applies.BOTH, r -> r.ua().isEmpty()),
            // Apple's proxy sends a bare "Mozilla/5.0", or Apple Mail's agent from Apple's own network 17.0.0.0/8.
            new Rule("apple_mpp", Applies.OPENS, r -> r.ua().equals("mozilla/5.0")
                    || (r.ip() != null && r.ip().startsWith("17.") && r.ua().contains("applewebkit"))),
            new Rule("scanner:barracuda", Applies.BOTH, agent("barracuda")),
            new Rule("scanner:mimecast", Applies.BOTH, agent("mimecast")),
            new Rule("scanner:proofpoint", Applies.BOTH, agent("proofpoint", "ppops-")),
            new Rule("scanner:microsoft", Applies.BOTH, agent("safelinks", "safe links", "bingpreview", "microsoft defender")),
            new Rule("scanner:microsoft_office", Applies.CLICKS, agent("microsoft office", "ms-office", "msoffice",
                    "existence discovery", "protocol discovery")),
            new Rule("scanner:symantec", Applies.BOTH, agent("symantec", "messagelabs", "broadcom")),
            new Rule("scanner:cisco", Applies.BOTH, agent("ironport", "cisco")),
            new Rule("scanner:trend_micro", Applies.BOTH, agent("trend micro", "trendmicro")),
            new Rule("scanner:kaspersky", Applies.BOTH, agent("kaspersky")),
            new Rule("scanner:other", Applies.BOTH, agent("fortiguard", "fortinet", "sophos", "forcepoint", "zscaler",
                    "checkpoint", "check point", "virustotal", "urlscan", "avast")),
            new Rule("bot", Applies.BOTH, r -> BOT.matcher(r.ua()).find()),
            new Rule("too_soon", Applies.CLICKS, r -> r.sentAt() != null && r.at() != null
                    && r.at().isBefore(r.sentAt().plus(scannerWindow))));
    }

    private final List<Rule> rules;

    public MachineRules(Duration scannerWindow) {
        this.rules = rules(scannerWindow);
    }

    public Verdict judge(Request r) {
        for (Rule rule : rules) {
            if (rule.applies() == Applies.OPENS && r.click() || rule.applies() == Applies.CLICKS && !r.click()) {
                continue;
            }
            if (rule.test().test(r)) {
                return new Verdict(true, rule.reason(), null);
            }
        }
        String ua = r.ua();
        if (ua.contains("googleimageproxy") || ua.contains("ggpht.com")) {
            return new Verdict(false, null, "google");
        }
        if (ua.contains("yahoomailproxy")) {
            return new Verdict(false, null, "yahoo");
        }
        return Verdict.HUMAN;
    }
}
