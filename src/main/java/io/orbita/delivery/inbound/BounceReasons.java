package io.orbita.delivery.inbound;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tables that turn a bounce's diagnostic text and status codes into a reason (the sisimai vocabulary) and decide
 * hard or soft. All patterns live here, in the order they are tried: the first match wins, so more specific reasons
 * come before broader ones (a "mailbox full" text also says "rejected"; a "blocked as spam" text is spam, not a block).
 */
final class BounceReasons {

    private BounceReasons() {
    }

    private record Rule(String reason, Pattern pattern) {
    }

    private static Rule rule(String reason, String... regexes) {
        return new Rule(reason, Pattern.compile(String.join("|", regexes), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    /** Diagnostic texts, most specific first. Texts are lower-cased and whitespace-collapsed before matching. */
    private static final List<Rule> TEXT = List.of(
            rule("delivered", "^2\\.\\d\\.\\d+ ", "message (was )?delivered successfully"),
            rule("hostunknown", "host or domain name not found"),
            rule("networkerror", "dns query failed", "lost connection", "name service error", "network error"),
            rule("mailboxfull", "mailbox exceeds", "mailbox (is )?full"),
            rule("notaccept", "indicated no smtp service", "null mx"),
            rule("notcompliantrfc", "multiple .{0,20}addresses in from", "not (rfc|standards?)[- ]compliant"),
            rule("hostunknown", "(?<![@\\w.-])[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,} does not exist"),
            rule("securityerror", "security error"),
            rule("spamdetected", "blacklisted url", "url in (the )?message"),
            rule("toomanyconn", "too many (connections|sessions|simultaneous|concurrent|smtp|recipients)", "connection (limit|rate)",
                    "concurrent connections", "exceeded the (connection|session)", "frequency limit", "rate limit"),
            rule("policyviolation", "polic(y|ies) (reasons|violation)", "local policy", "content presents a potential",
                    "violat(es|ion of) (our|the) (policy|policies|terms)"),
            rule("virusdetected", "virus", "malware", "infected (attachment|message)", "\\btrojan\\b"),
            rule("authfailure", "\\bspf\\b.{0,40}(fail|reject|not pass|check)", "(fail|failed|failure)[^.]{0,20}\\bspf\\b",
                    "\\bdmarc\\b", "\\bdkim\\b.{0,30}(fail|invalid|required|not pass)", "sender policy framework", "authentication information", "fails? to pass authentication",
                    "not authorized to send (e-?mail|mail|on behalf)", "\\bspf\\b", "5\\.7\\.2[36]\\b"),
            rule("requireptr", "reverse (dns|lookup|hostname)", "\\bptr\\b", "\\brdns\\b", "cannot find your (reverse )?hostname",
                    "cannot resolve your (address|hostname|ip)", "unresolvable (address|hostname|client)", "no (reverse|rdns)",
                    "hostname (does not|doesn't) match", "mismatches client ip", "5\\.7\\.25\\b", "ip address has no ptr", "client host rejected: cannot find"),
            rule("badreputation", "(poor|low|bad) (ip |sender |domain )?reputation", "reputation (of|is too low)", "ip reputation",
                    "sender reputation", "reputation"),
            rule("notcompliantrfc", "rfc ?(2822|5322|5321) ", "rfc ?(2822|5322) compliant", "not (rfc|standards?)[- ]compliant", "duplicate header",
                    "multiple (from|to|subject|date|message-id) headers", "does not comply with rfc", "message-id.{0,20}(missing|invalid)",
                    "missing (a )?(date|from|message-id) header", "header (is )?(malformed|invalid)"),
            rule("exceedlimit", "exceeds? (the |an? )?(administrative|local) limit", "message length exceeds", "5\\.2\\.3\\b",
                    "exceeds fixed maximum", "fixed maximum message size"),
            rule("mesgtoobig", "message (size|length)? ?(is )?too (big|large)", "message size exceeds", "size exceeds (the )?(maximum|limit|fixed)",
                    "exceeds (the )?(maximum|allowed|max)[a-z ]{0,20}(message )?size", "message (file )?too big", "mail size limit",
                    "message size limit", "size of (this|your) message", "message exceeds (the )?(maximum|size)",
                    "too large for this", "5\\.3\\.4\\b", "exceeded (the )?maximum size"),
            rule("mailboxfull", "mailbox (is |was )?(full|over|exceeded)", "mail ?box full", "mailbox size", "over ?quota",
                    "quota (exceeded|exceed|full|violation)", "exceeded (the |his |her |their )?(storage|quota)", "exceed(s|ed)? (the )?quota",
                    "disk quota", "insufficient (disk |system )?(space|storage)", "not enough (storage|space|disk)",
                    "mailfolder is full", "(account|inbox|folder|box) (is |has )?(full|exceeded)", "too much mail data",
                    "user has exceeded", "storage (limit|allocation|space)", "mailbox has exceeded", "has exceeded (the |his |her )?(maximum|allowed)",
                    "no space left", "mailbox exceeds", "full mailbox", "would exceed", "over the (allowed )?(storage|quota)", "quota",
                    "переполнен", "превышен[а-я]* (лимит|размер|квот)", "нет места"),
            rule("suspend", "(account|mailbox|user|recipient|address)[a-z ]{0,20} (is |has been |was )?(temporarily )?(disabled|suspended|deactivated|inactive|frozen|blocked|locked|closed|expired|not active)",
                    "(disabled|suspended|inactive|deactivated|frozen|locked) (account|mailbox|user|recipient)",
                    "is not active", "not an active", "has been disabled", "temporarily (disabled|deactivated|suspended)",
                    "account (that you tried to reach )?is disabled", "mailbox unavailable.{0,30}(inactive|disabled)",
                    "заблокирован", "отключ[её]н", "приостановлен"),
            rule("hasmoved", "has (been )?moved", "address has changed", "has been replaced by", "no longer (at|with) ", "new (e-?mail )?address is", "not our customer"),
            rule("norelaying", "relay(ing)? (access )?(denied|not (permitted|allowed))", "not (permitted|allowed|authorized) to relay",
                    "unable to relay", "relaying (is |mail )?(denied|not allowed|prohibited)", "we do not relay", "no relaying",
                    "relay(ing)? (is )?prohibited", "insecure mail relay", "cannot relay", "relay not permitted", "not a gateway"),
            rule("notaccept", "does not accept (e-?)?mail", "null mx", "not accepting (any )?(e-?)?mail", "no mail (is )?accepted",
                    "does not receive (e-?)?mail", "accepts no mail", "mail receiving disabled"),
            rule("rejected", "sender address rejected", "domain of sender address", "sender (address )?(rejected|denied|refused|verify failed)",
                    "mail from .{0,60}(rejected|refused)", "envelope sender .{0,40}(rejected|denied|invalid)", "invalid sender"),
            rule("mesgtoobig", "размер (письма|сообщения) превышает", "превышен[а-я]* (максимальн[а-я]* )?размер (письма|сообщения)",
                    "слишком (большое|большой) (письмо|сообщение)"),
            rule("blocked", "чёрн[а-я]* спис", "черн[а-я]* спис"),
            rule("hostunknown", "домен[а-я]* (получателя )?не (найден|существует)", "несуществующ[а-я]* домен",
                    "domain (name )?(does not|doesn't|not) exist", "domain (name )?not found", "no such domain",
                    "host (or domain name )?not found", "unknown host", "couldn't find a mail exchanger", "unrout(e)?able (mail domain|address)",
                    "(host ?name|dns|mx) lookup (failure|failed|error)", "host \\S+ not found"),
            rule("userunknown", "5\\.4\\.1 .{0,80}access denied", "recipientnotfound", "recipient address rejected\\.?$", "recipient name is not recognized", "doesn't have an? .{0,40}account", "recipient not found", "not listed in", "user ?(name )?unknown", "unknown (user|recipient|mailbox|local[- ]part|address|account)", "no such (user|recipient|mailbox|account|address|local user|person)",
                    "(user|recipient|mailbox|account|address|addressee)[a-z' ]{0,25} (does not|doesn't|did not|not|no longer) exist",
                    "does not exist", "doesn't exist", "not exist", "(recipient|user|mailbox|account|address)[a-z ]{0,15} (not found|unknown|invalid)",
                    "invalid (recipient|user|mailbox|address|account|destination)", "(recipient|mailbox|user|address)[a-z ]{0,10}unavailable",
                    "mailbox not (found|available)", "no mailbox", "no (such )?account", "not (a )?(valid|known) (recipient|user|mailbox|address)",
                    "(user|recipient|address) (is )?not (known|listed|local|found|valid)", "unrout(e)?able address", "recipient (is )?not (found|valid|local)", "unknown or illegal alias",
                    "bad destination (mailbox )?address", "user not", "no valid recipients", "rcpt (to )?(address )?(is )?(invalid|unknown)",
                    "addressee unknown", "no longer (valid|available|in use)", "non-?existent",
                    "mailbox (is )?(unknown|invalid|not found)", "verification failed for <", "recipient verify failed", "said: 550 5\\.1\\.1",
                    "нет такого", "не существует", "не найден", "неверн[а-я]* адрес", "несуществующ", "неизвестн[а-я]* (пользовател|адрес|получател)"),
            rule("filtered", "content filter", "rejected by (the )?(recipient|user)'?s? filter", "filtered", "by (recipient|user) request",
                    "(recipient|user) (has )?blocked", "user reject", "due to (the )?recipient'?s? preferences", "delivery not authorized",
                    "refused by (the )?(filter|recipient)", "recipient address rejected: access denied", "mail rejected by (the )?recipient"),
            rule("spamdetected", "\\bspam\\b", "spam(my|mer)?\\b", "junk mail", "unsolicited", "spamassassin", "bulk e?mail", "phish",
                    "considered (as )?(junk|suspicious)", "content rejected", "спам"),
            rule("securityerror", "starttls", "\\btls\\b", "ssl", "encryption (is )?required", "authentication (is )?required",
                    "must (issue|authenticate)", "certificate", "authentication (failed|credentials)", "unauthenticated"),
            rule("hostunknown", "host ?(name )?unknown", "unknown (host|domain)", "host (or domain name )?not found", "domain (name )?(does not|doesn't|not) exist",
                    "domain (name )?not found", "no such (host|domain)", "name or service not known", "nxdomain", "illegal host/domain",
                    "unrouteable mail domain", "no mx", "mx (record )?(lookup )?(not found|failed)", "dns (error|lookup)", "domain (is )?(unknown|invalid)",
                    "invalid domain", "unresolvable domain", "domain is not reachable", "домен[а-я]* не (найден|существует)"),
            rule("rejected", "sender (address )?(rejected|denied|refused|invalid|verify)", "(envelope )?sender .{0,40}(rejected|denied|not allowed|invalid)",
                    "domain of sender address", "mail from .{0,40}(rejected|refused)", "return path", "invalid sender", "unroutable sender",
                    "sender domain", "rejected: sender", "address (is )?not allowed to send", "from address", "sender is not"),
            rule("blocked", "blocked", "black ?list", "block ?list", "listed (in|on|at|by)", "\\brbl\\b", "dnsbl", "spamhaus", "spamcop",
                    "sorbs", "barracuda", "banned", "your (ip|host|server)", "client host", "ip address", "access denied", "connection refused by",
                    "not allowed to connect", "refused to talk", "deny(ing)? (connection|access)"),
            rule("policyviolation", "polic(y|ies)", "not (permitted|allowed) (by|due to)", "prohibited", "violat"),
            rule("expired", "expired", "connection timed out", "timed out during", "retry time", "timeout waiting", "delivery time", "give up", "giving up", "too long in (the )?queue",
                    "could not be delivered (for|within|in) ", "has not been delivered", "delayed", "delivery (has been )?delayed",
                    "will (continue|keep) trying", "still (trying|retrying)", "queue(d)? (too long|for)", "message timed out", "delivery attempts", "failed \\d+ attempts", "did not accept our requests", "aborted after"),
            rule("networkerror", "network (is )?unreachable", "connection (timed out|refused|reset|lost|dropped)", "timed out", "timeout",
                    "lost connection", "no route to host", "could not connect", "unable to connect", "can'?t connect", "host is unreachable",
                    "name server", "bad connection", "conversation with", "routing loop", "mail loop", "too many hops", "loops? (back|detected)",
                    "connect to .{0,60}(failed|refused)", "temporary (lookup|dns) failure", "unreachable"),
            rule("mailererror", "x-unix", "command output", "procmail", "mailer error", "program (failed|exit)", "exit (status|code)",
                    "pipe to \\|", "command died", "local delivery failed", "unable to deliver to (the )?program"),
            rule("syntaxerror", "syntax error", "improper sequence", "sequence of commands", "command unrecognized", "bad sequence", "unrecognized command", "line too long"),
            rule("contenterror", "content (type )?error", "illegal character", "8-?bit", "invalid mime", "mime (error|invalid)",
                    "message (content|body) (rejected|not accepted)", "bad message", "header error"),
            rule("systemerror", "system (error|config)", "internal (server )?error", "local error", "server (error|configuration)",
                    "configuration error", "temporary (failure|error)", "try again later", "resources (temporarily )?unavailable",
                    "insufficient (system )?resources", "out of memory", "i/o error", "system (is )?(busy|overloaded)", "service (is |currently )?unavailable", "loop"));

    /** Enhanced status codes that name a reason by themselves (RFC 3463 and the registered extensions). */
    private static final Map<String, String> STATUS = Map.ofEntries(
            Map.entry("1.1", "userunknown"), Map.entry("1.2", "hostunknown"), Map.entry("1.3", "userunknown"),
            Map.entry("1.4", "userunknown"), Map.entry("1.5", "userunknown"), Map.entry("1.6", "hasmoved"),
            Map.entry("1.7", "rejected"), Map.entry("1.8", "rejected"), Map.entry("1.10", "userunknown"),
            Map.entry("2.0", "userunknown"), Map.entry("2.1", "suspend"), Map.entry("2.2", "mailboxfull"),
            Map.entry("2.3", "exceedlimit"), Map.entry("2.4", "systemerror"),
            Map.entry("3.0", "systemerror"), Map.entry("3.1", "mailboxfull"), Map.entry("3.2", "notaccept"),
            Map.entry("3.3", "systemerror"), Map.entry("3.4", "mesgtoobig"), Map.entry("3.5", "systemerror"),
            Map.entry("4.0", "networkerror"), Map.entry("4.1", "expired"), Map.entry("4.2", "expired"),
            Map.entry("4.3", "systemerror"), Map.entry("4.4", "networkerror"), Map.entry("4.5", "networkerror"),
            Map.entry("4.6", "networkerror"), Map.entry("4.7", "expired"),
            Map.entry("5.1", "syntaxerror"), Map.entry("5.2", "syntaxerror"),
            Map.entry("5.3", "syntaxerror"), Map.entry("5.4", "syntaxerror"), Map.entry("5.5", "syntaxerror"),
            Map.entry("6.0", "contenterror"), Map.entry("6.1", "contenterror"), Map.entry("6.2", "contenterror"),
            Map.entry("6.3", "contenterror"), Map.entry("6.4", "contenterror"), Map.entry("6.5", "contenterror"),
            Map.entry("7.1", "rejected"), Map.entry("7.2", "rejected"), Map.entry("7.4", "securityerror"),
            Map.entry("7.5", "securityerror"), Map.entry("7.6", "securityerror"), Map.entry("7.7", "securityerror"),
            Map.entry("7.8", "securityerror"), Map.entry("7.9", "securityerror"), Map.entry("7.11", "securityerror"),
            Map.entry("7.13", "suspend"), Map.entry("7.17", "hasmoved"), Map.entry("7.18", "hasmoved"),
            Map.entry("7.20", "authfailure"), Map.entry("7.21", "authfailure"), Map.entry("7.22", "authfailure"),
            Map.entry("7.23", "authfailure"), Map.entry("7.24", "authfailure"), Map.entry("7.25", "requireptr"),
            Map.entry("7.26", "authfailure"), Map.entry("7.27", "notaccept"));

    /**
     * Error codes that providers document for their own answers, which say more than the words around them. Orange
     * and La Poste end their answers with OFR_nnn / LPNnnn_nnn / OUK_nnn; null = the code names no reason.
     */
    private static final Pattern ORANGE_CODE = Pattern.compile("\\b(?:lpn|lpnaaa|ofr|ouk)(?:_|\\d{3}[-_])(\\d{3})\\b", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> ORANGE = Map.ofEntries(
            Map.entry("101", "blocked"), Map.entry("102", "blocked"), Map.entry("103", "blocked"), Map.entry("104", "toomanyconn"),
            Map.entry("305", "securityerror"), Map.entry("401", "authfailure"), Map.entry("402", "securityerror"),
            Map.entry("403", "rejected"), Map.entry("405", "rejected"), Map.entry("415", "rejected"), Map.entry("416", "userunknown"),
            Map.entry("417", "mailboxfull"), Map.entry("420", "suspend"), Map.entry("421", "rejected"), Map.entry("426", "suspend"),
            Map.entry("505", "systemerror"), Map.entry("506", "spamdetected"), Map.entry("510", "blocked"), Map.entry("514", "mesgtoobig"),
            Map.entry("517", "authfailure"), Map.entry("630", "policyviolation"), Map.entry("999", "blocked"));

    /** Documented phrases of large providers that settle the reason whatever else the text says. */
    private static final List<Rule> PROVIDER = List.of(
            rule("userunknown", "dd this user doesn't have an? ", "the address couldn't be found",
                    "recipientnotfound", "recipient not found by smtp address lookup"),
            rule("suspend", "dd .{0,60} is no longer valid", "this mailbox is disabled \\(554\\.30\\)"),
            rule("policyviolation", "not accepted for policy reasons"),
            rule("badreputation", "temporarily deferred due to unexpected volume or user complaints"),
            rule("blocked", "because the ip is in spamhaus's list", "not accepted from ip addresses on spamhaus"),
            rule("rejected", "your envelope sender is in my badmailfrom list", "sender envelope domain not allowed"));

    /** The reason a provider's documented code or phrase names, or null. */
    static String fromProvider(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        java.util.regex.Matcher m = ORANGE_CODE.matcher(text);
        if (m.find() && ORANGE.containsKey(m.group(1))) {
            return ORANGE.get(m.group(1));
        }
        String t = text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        for (Rule r : PROVIDER) {
            if (r.pattern().matcher(t).find()) {
                return r.reason();
            }
        }
        return null;
    }

    /** Reasons that are permanent whatever the code says: the address itself is wrong. */
    private static final List<String> HARD = List.of("userunknown", "hostunknown", "hasmoved");

    /** The reason a diagnostic text names, or null. */
    static String fromText(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        // Addresses are names, not words: "no-such-user@example.com" says nothing about why a message failed.
        // URLs too ("see https://example.com/reason/#mailererror"), and quoted header lines of a forwarded original.
        String t = MailClassifier.maskAddresses(text)
                .replaceAll("https?://([^/\\s]+)\\S*", " $1 ")
                // a quoted program recipient ("|/usr/bin/procmail ...") echoes the address, not the reason
                .replaceAll("\"\\|[^\"]*\"", " <program> ")
                .replaceAll("(?im)^[>\\s]*x-[a-z0-9-]+:.*$", " ")
                .toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        for (Rule r : TEXT) {
            if (r.pattern().matcher(t).find()) {
                return r.reason();
            }
        }
        return null;
    }

    /** The reason an enhanced status code names by itself, or null for the generic x.0.0 and unknown codes. */
    static String fromStatus(String status) {
        if (status == null || !status.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
            return null;
        }
        if (status.startsWith("2.")) {
            return "delivered";
        }
        String subject = status.substring(2);
        return STATUS.get(subject);
    }

    /** Permanent failures: the address is wrong (and a refusal that the server made final). */
    static boolean hard(String reason, String status, String replyCode) {
        if (HARD.contains(reason)) {
            return true;
        }
        if ("notaccept".equals(reason)) {
            // refusing all mail is final unless the server said it was temporary
            return !(replyCode != null ? replyCode.startsWith("4") : status != null && status.startsWith("4"));
        }
        return false;
    }
}
