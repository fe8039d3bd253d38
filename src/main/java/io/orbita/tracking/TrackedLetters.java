package io.orbita.tracking;

import io.orbita.platform.WorkspaceId;
import io.orbita.tracking.internal.LetterHtml;
import io.orbita.tracking.internal.Tokens;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;

/**
 * What the sender asks of tracking for each message: the recipient's unsubscribe and preference links (with the
 * {@code List-Unsubscribe} URL for RFC 8058 one-click), and the letter's HTML with tracked links and an open pixel.
 * Every link carries a signed token with all it needs, so building links touches no database and hits are stateless.
 */
@Service
public class TrackedLetters {

    /**
     * A message's own links, to put into {@code LetterData.LetterLinks} (the web version is the sender's).
     *
     * @param unsubscribe the page that confirms an unsubscribe with one button
     * @param preferences the preference centre: keep or drop kinds of mailing
     * @param oneClickUnsubscribe the https URL for {@code List-Unsubscribe} with {@code List-Unsubscribe-Post:
     *                            List-Unsubscribe=One-Click}: a POST with that body unsubscribes at once, a GET shows the page
     */
    public record Links(String unsubscribe, String preferences, String oneClickUnsubscribe) {
    }

    private final Tokens tokens;
    private final String configuredBase;
    private final Environment env;

    TrackedLetters(Tokens tokens, @Value("${orbita.tracking.base-url:}") String configuredBase, Environment env) {
        this.tokens = tokens;
        this.configuredBase = strip(configuredBase);
        this.env = env;
    }

    /**
     * @param contactId the contact, or null for a bare address (then the email goes into the link, and an unsubscribe
     *                  applies to the contact with that address if there is one)
     * @param mailingKind news, content, event, promo or service: what the preference centre offers first
     */
    public Links linksFor(WorkspaceId ws, long messageId, Long contactId, String email, String mailingKind) {
        Tokens.Recipient r = new Tokens.Recipient(ws, messageId, contactId, email, mailingKind);
        String base = baseUrl();
        String unsubscribe = base + "/u/" + tokens.unsubscribe(r);
        return new Links(unsubscribe, base + "/p/" + tokens.preferences(r), unsubscribe);
    }

    /**
     * The signed link to the web version of a sent message ({@code /w/{token}}): the letter as the recipient got it,
     * its links still tracked. For {@code LetterData.LetterLinks.webVersion} (the {@code links.web_version} variable).
     */
    public String webVersion(WorkspaceId ws, long messageId, Long contactId) {
        return baseUrl() + "/w/" + tokens.web(new Tokens.MessageRef(ws, messageId, contactId, null));
    }

    /**
     * The letter's HTML with every http(s) link turned into a signed click redirect and an open pixel added before
     * {@code </body>}. Left alone: mailto, tel, anchors, relative links, links to this installation's own unsubscribe,
     * preference and tracking pages, links marked {@code data-orbita-track="off"}, and links over 2,000 characters.
     * Everything else in the document stays byte for byte as it was. Calling it twice on its own output changes nothing.
     *
     * @param sentAt when the message is handed to SMTP (a click within seconds of it is a link scanner's), or null
     */
    public String instrument(WorkspaceId ws, long messageId, Long contactId, Instant sentAt, String html) {
        if (html == null) {
            return null;
        }
        String base = baseUrl();
        Tokens.MessageRef ref = new Tokens.MessageRef(ws, messageId, contactId, sentAt);
        String ownPrefix = base + "/";
        String pixel = html.contains(base + "/t/o/") ? null
                : "<img src=\"" + base + "/t/o/" + tokens.open(ref)
                  + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;width:1px;height:1px;border:0\">";
        return LetterHtml.instrument(html, url -> own(url, ownPrefix) ? null : base + "/t/c/" + tokens.click(ref, url), pixel);
    }

    /** The public base URL of the tracking host, without a trailing slash. */
    public String baseUrl() {
        if (!configuredBase.isEmpty()) {
            return configuredBase;
        }
        // Looking the port up in the Environment costs more than building a message's links: once it is known, kept.
        String known = portBase;
        if (known != null) {
            return known;
        }
        String port = env.getProperty("local.server.port");
        String base = "http://localhost:" + (port != null ? port : env.getProperty("server.port", "8080"));
        if (port != null) {
            portBase = base;
        }
        return base;
    }

    private volatile String portBase;

    private static boolean own(String url, String ownPrefix) {
        if (!url.startsWith(ownPrefix)) {
            return false;
        }
        String path = url.substring(ownPrefix.length());
        return path.startsWith("u/") || path.startsWith("p/") || path.startsWith("t/") || path.startsWith("w/");
    }

    private static String strip(String s) {
        String v = s == null ? "" : s.strip();
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        return v;
    }
}
