package io.orbita.delivery.inbound;

import io.orbita.delivery.inbound.Classification.Recipient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides what an inbound message is: a bounce (RFC 3464 delivery status, Amazon SES notifications, or the free texts of
 * MTAs and providers), a complaint (RFC 5965 ARF), an auto-reply (RFC 3834 and vacation conventions), a human reply or
 * something else; for bounces it extracts every failed recipient with status, reply code, reason and hard/soft.
 * Pure Java and thread-safe; the reason tables are in {@link BounceReasons}.
 */
public final class MailClassifier {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_DIAGNOSTIC = 500;
    private static final int MAX_TEXT = 64 * 1024;
    private static final int MAX_RECIPIENTS = 200;

    static final Pattern ADDRESS = Pattern.compile(
            "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\\.[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+)*@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?\\.)+[\\p{L}]{2,}[\\p{L}\\p{N}-]*");
    private static final Pattern ENHANCED = Pattern.compile("(?<![\\d.])([245])\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");
    private static final Pattern REPLY = Pattern.compile("(?<![\\d.:/#-])([245][0-5]\\d)(?=[ -]|$)");
    private static final Pattern HEADER_LINE = Pattern.compile("^[!-9;-~]+:[ \\t]?.*");

    private static final Pattern BOUNCE_FROM = Pattern.compile(
            "mailer-daemon|postmaster|mail ?delivery|delivery ?(status|subsystem|notification)|mail ?administrator|"
                    + "post_master|mmdf|smtp gateway|returned mail|mail ?system|mdaemon|internet mail delivery|nobody@|bounce",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BOUNCE_SUBJECT = Pattern.compile(
            "undeliver|undelivered|delivery (status notification|failure|failed|has failed|report|notification)|"
                    + "returned (mail|to sender)|failure notice|mail delivery failed|could not (be )?deliver|"
                    + "delivery problem|non.?delivery|nondeliverable|not delivered|delivery unsuccessful|"
                    + "warning: could not send|mail system error|message delayed|delayed mail|delivery delayed|"
                    + "rejected|mail failure|unable to deliver|permanent (error|failure)|sending failed|"
                    + "non remis|échec de la remise|unzustellbar|не доставлен|недоставлен|не может быть доставлено|"
                    + "ошибка доставки|возвращ[её]нное",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern VACATION_SUBJECT = Pattern.compile(
            "^(auto(matic)?[ _-]?(reply|response|answer|antwort)|autoreply|out of (the )?office|vacation|on leave|"
                    + "away from|i am away|i'm away|away until|absent|abwesen|r[ée]ponse automatique|"
                    + "автоответ|автоматический ответ|нет на месте|в отпуске|отсутству)"
                    + "|\\b(out of (the )?office|auto(matic)?[ -]?reply|autoreply|vacation|автоответ|в отпуске)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    /** Words with which notices of failed delivery begin, in the languages seen most. */
    private static final Pattern BOUNCE_BODY = Pattern.compile(
            "could not be delivered to|couldn't be delivered to|was not delivered to|undeliverable to|delivery (has )?failed to"
                    + "|permanent (fatal )?errors?|following address(es)? (had|failed)|unable to deliver (your )?message to"
                    + "|не (может быть|было|удалось) доставлен|не доставлено|доставка .{0,30} не удалась",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    /** Lines where the text of a bounce ends and the returned original (or its headers) begins. */
    private static final Pattern ORIGINAL_STARTS = Pattern.compile(
            "^\\s*(-{2,}.*(original message|copy of (the|your) message|unsent message|returned message|message follows|"
                    + "message headers|forwarded message|undelivered message|original mail|message text follows|header of the original|"
                    + "исходное сообщение|оригинальное сообщение).*"
                    + "|content-type: (message/rfc822|text/rfc822-headers)"
                    + "|(original|returned) message (headers|follows|below).*"
                    + "|(received|return-path|message-id|dkim-signature|x-received): .*)$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Set<String> SYSTEM_LOCALS = Set.of("postmaster", "mailer-daemon", "mailer_daemon", "root", "abuse",
            "nobody", "double-bounce", "noreply", "no-reply", "help", "support", "hostmaster", "admin", "webmaster",
            "mail-daemon", "daemon", "mdaemon");

    /** Classifies raw RFC 822 bytes; a {@link NotMailException} when they are not a mail message. */
    public Classification classify(byte[] raw) {
        if (raw == null || raw.length == 0) {
            throw new NotMailException("The body is empty; send the raw message (RFC 822) as the request body.");
        }
        checkLooksLikeMail(raw);
        MailPart mail = MailPart.parse(raw);
        String subject = mail.header("subject");
        String from = firstAddress(mail.header("from"));
        List<String> bounceAddresses = new ArrayList<>();
        for (String h : List.of("to", "delivered-to", "x-original-to", "envelope-to", "x-envelope-to", "cc")) {
            for (String v : mail.headers(h)) {
                bounceAddresses.addAll(addresses(v));
            }
        }
        Set<String> messageIds = new LinkedHashSet<>();
        messageIds.addAll(messageIdsOf(mail.header("in-reply-to")));
        messageIds.addAll(messageIdsOf(mail.header("references")));
        for (MailPart p : mail.flatten()) {
            if (p != mail && p.hasHeaders() && isOriginal(mail, p)) {
                messageIds.addAll(messageIdsOf(p.header("message-id")));
                for (String h : List.of("return-path", "x-original-mail-from")) {
                    for (String v : p.headers(h)) {
                        bounceAddresses.addAll(addresses(v));
                    }
                }
            }
        }

        Analysis a = analyse(mail, subject, from);
        return new Classification(a.kind, subject, from, a.recipients, List.copyOf(new LinkedHashSet<>(bounceAddresses)),
                List.copyOf(messageIds));
    }

    private record Analysis(InboundKind kind, List<Recipient> recipients) {
    }

    private Analysis analyse(MailPart mail, String subject, String from) {
        List<MailPart> parts = mail.flatten();
        // 1. RFC 5965 feedback reports (and provider feedback loops that copy the original into the body).
        for (MailPart p : parts) {
            if (p.contentType().equals("message/feedback-report") && notInsideOriginal(mail, p)) {
                return new Analysis(InboundKind.COMPLAINT, complaint(mail, p));
            }
        }
        // 2. Amazon SES notifications (JSON bodies, possibly inside an SNS envelope).
        Analysis ses = amazonSes(mail);
        if (ses != null) {
            return ses;
        }
        // 3. RFC 3464 delivery status notifications (some MTAs send several reports in one message).
        List<Recipient> reported = new ArrayList<>();
        for (MailPart p : parts) {
            String ct = p.contentType();
            if ((ct.equals("message/delivery-status") || ct.equals("message/global-delivery-status"))
                    && (notInsideOriginal(mail, p) || insideForwardedReport(mail, p))) {
                reported.addAll(deliveryStatus(mail, p, subject));
            }
        }
        if (!reported.isEmpty()) {
            boolean allDelivered = reported.stream().allMatch(r -> "delivered".equals(r.reason()));
            return new Analysis(allDelivered ? InboundKind.OTHER : InboundKind.BOUNCE, reported);
        }
        String fromHeader = mail.header("from") == null ? "" : mail.header("from");
        String subj = subject == null ? "" : subject;
        boolean arfText = notification(mail).toLowerCase(Locale.ROOT).contains("feedback-type:");
        boolean jmrp = parts.stream().anyMatch(p -> p.header("x-hmxmroriginalrecipient") != null);
        if (arfText || jmrp) {
            return new Analysis(InboundKind.COMPLAINT, complaintFromText(mail));
        }
        // 4. Delivery status fields pasted into the text (a broken multipart/report, or an MTA that inlines them).
        String note = notification(mail);
        Matcher inline = Pattern.compile("(?im)^(reporting-mta|final-recipient):").matcher(note);
        if (inline.find()) {
            List<Recipient> rs = deliveryStatus(mail, note.substring(inline.start()), subject);
            if (!rs.isEmpty()) {
                boolean allDelivered = rs.stream().allMatch(r -> "delivered".equals(r.reason()));
                return new Analysis(allDelivered ? InboundKind.OTHER : InboundKind.BOUNCE, rs);
            }
        }
        // 5. Free-text bounces of MTAs that do not send RFC 3464.
        boolean returnsOriginal = parts.stream().anyMatch(p -> p != mail
                && (p.contentType().equals("message/rfc822") || p.contentType().equals("text/rfc822-headers")));
        String opening = note.length() > 4000 ? note.substring(0, 4000) : note;
        boolean bounceLike = BOUNCE_FROM.matcher(fromHeader).find() || BOUNCE_SUBJECT.matcher(subj).find()
                || "multipart/report".equals(mail.contentType())
                || mail.header("x-failed-recipients") != null
                // a notice that says so and returns the original, whoever sent it
                || returnsOriginal && BOUNCE_BODY.matcher(opening).find();
        boolean autoReply = isAutoReply(mail, subj);
        if (bounceLike && !(autoReply && !BOUNCE_FROM.matcher(fromHeader).find() && !BOUNCE_SUBJECT.matcher(subj).find())) {
            List<Recipient> rs = textBounce(mail, subject);
            if (!rs.isEmpty() || BOUNCE_FROM.matcher(fromHeader).find()) {
                return new Analysis(InboundKind.BOUNCE, rs);
            }
        }
        // 5. Auto-replies (RFC 3834 and the vacation conventions), then human replies.
        String replier = from == null ? null : from.toLowerCase(Locale.ROOT);
        if (autoReply) {
            return new Analysis(InboundKind.AUTO_REPLY, replier == null ? List.of()
                    : List.of(new Recipient(replier, null, null, "vacation", false, null)));
        }
        boolean reply = mail.header("in-reply-to") != null || mail.header("references") != null
                || subj.matches("(?iu)^\\s*(re|ha|aw|sv|antw|отв|ответ)\\s*(\\[\\d+])?:.*");
        if (reply) {
            return new Analysis(InboundKind.REPLY, replier == null ? List.of()
                    : List.of(new Recipient(replier, null, null, null, false, null)));
        }
        return new Analysis(InboundKind.OTHER, List.of());
    }

    // ---------------------------------------------------------------- auto-replies

    private static boolean isAutoReply(MailPart mail, String subject) {
        String autoSubmitted = lower(mail.header("auto-submitted"));
        if (autoSubmitted != null && autoSubmitted.startsWith("auto-replied")) {
            return true;
        }
        if (mail.header("x-autoreply") != null || mail.header("x-autorespond") != null
                || mail.header("x-autoresponder") != null || mail.header("x-mailautoreply") != null) {
            return true;
        }
        String precedence = lower(mail.header("precedence"));
        if (precedence != null && precedence.contains("auto_reply")) {
            return true;
        }
        String suppress = lower(mail.header("x-auto-response-suppress"));
        boolean vacationSubject = VACATION_SUBJECT.matcher(subject.strip()).find();
        if (vacationSubject) {
            return true;
        }
        return autoSubmitted != null && !autoSubmitted.startsWith("no") && suppress != null && suppress.contains("oof");
    }

    // ---------------------------------------------------------------- complaints

    private List<Recipient> complaint(MailPart mail, MailPart report) {
        Map<String, List<String>> fields = MailPart.parseHeaders(report.text());
        Set<String> rcpts = new LinkedHashSet<>();
        for (String key : List.of("original-rcpt-to", "removal-recipient")) {
            for (String v : fields.getOrDefault(key, List.of())) {
                rcpts.addAll(addresses(v));
            }
        }
        if (rcpts.isEmpty()) {
            MailPart original = originalMessage(mail);
            if (original != null) {
                for (String v : original.headers("to")) {
                    rcpts.addAll(addresses(v));
                }
            }
        }
        if (rcpts.isEmpty()) {
            for (String v : mail.headers("x-hmxmroriginalrecipient")) {
                rcpts.addAll(addresses(v));
            }
        }
        return rcpts.stream().map(r -> new Recipient(r, null, null, "feedback", false, null)).toList();
    }

    private List<Recipient> complaintFromText(MailPart mail) {
        Set<String> rcpts = new LinkedHashSet<>();
        for (MailPart p : mail.flatten()) {
            for (String v : p.headers("x-hmxmroriginalrecipient")) {
                rcpts.addAll(addresses(v));
            }
        }
        Matcher m = Pattern.compile("(?im)^(original-rcpt-to|removal-recipient):\\s*(.*)$").matcher(notification(mail));
        while (m.find()) {
            rcpts.addAll(addresses(m.group(2)));
        }
        if (rcpts.isEmpty()) {
            MailPart original = originalMessage(mail);
            if (original != null) {
                for (String v : original.headers("to")) {
                    rcpts.addAll(addresses(v));
                }
            }
        }
        return rcpts.stream().map(r -> new Recipient(r, null, null, "feedback", false, null)).toList();
    }

    // ---------------------------------------------------------------- Amazon SES

    private Analysis amazonSes(MailPart mail) {
        for (MailPart p : mail.flatten()) {
            if (!p.children().isEmpty() || !notInsideOriginal(mail, p)) {
                continue;
            }
            String text = p.text();
            int brace = text.indexOf('{');
            if (brace < 0 || !text.contains("notificationType")) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(text.substring(brace, text.lastIndexOf('}') + 1));
                if (node.has("Message") && node.get("Message").isString()) {
                    node = JSON.readTree(node.get("Message").asString());
                }
            } catch (RuntimeException e) {
                // Mangled JSON (wrapped or truncated lines): read the few fields that matter by pattern.
                Analysis rough = roughSes(text);
                if (rough != null) {
                    return rough;
                }
                continue;
            }
            String type = node.path("notificationType").asString("");
            List<Recipient> rs = new ArrayList<>();
            switch (type) {
                case "Bounce" -> {
                    boolean permanent = "Permanent".equalsIgnoreCase(node.path("bounce").path("bounceType").asString(""));
                    for (JsonNode r : node.path("bounce").path("bouncedRecipients")) {
                        String diag = stripDiagType(r.path("diagnosticCode").asString(""));
                        String status = r.path("status").asString(null);
                        rs.add(recipient(r.path("emailAddress").asString(""), status, diag, (String) null, permanent ? "5" : "4"));
                    }
                    return new Analysis(InboundKind.BOUNCE, rs);
                }
                case "Complaint" -> {
                    for (JsonNode r : node.path("complaint").path("complainedRecipients")) {
                        rs.add(new Recipient(lower(r.path("emailAddress").asString("")), null, null, "feedback", false, null));
                    }
                    return new Analysis(InboundKind.COMPLAINT, rs);
                }
                case "Delivery" -> {
                    String smtp = node.path("delivery").path("smtpResponse").asString("");
                    for (JsonNode r : node.path("delivery").path("recipients")) {
                        rs.add(recipient(r.asString(""), null, smtp, (String) null, "2"));
                    }
                    return new Analysis(InboundKind.OTHER, rs);
                }
                default -> {
                    // not an SES notification after all
                }
            }
        }
        return null;
    }

    private static Analysis roughSes(String text) {
        Matcher type = Pattern.compile("\"notificationType\"\\s*:\\s*\"(Bounce|Complaint)\"").matcher(text);
        if (!type.find()) {
            return null;
        }
        boolean complaint = type.group(1).equals("Complaint");
        int from = text.indexOf(complaint ? "complainedRecipients" : "bouncedRecipients");
        if (from < 0) {
            return null;
        }
        int to = text.indexOf(']', from);
        Matcher a = Pattern.compile("\"emailAddress\"\\s*:\\s*\"([^\"]+)\"").matcher(text.substring(from, to < 0 ? text.length() : to));
        List<Recipient> rs = new ArrayList<>();
        while (a.find()) {
            rs.add(complaint ? new Recipient(a.group(1).toLowerCase(Locale.ROOT), null, null, "feedback", false, null)
                    : recipient(a.group(1), null, "", (String) null, null));
        }
        return new Analysis(complaint ? InboundKind.COMPLAINT : InboundKind.BOUNCE, rs);
    }

    // ---------------------------------------------------------------- RFC 3464

    private List<Recipient> deliveryStatus(MailPart mail, MailPart report, String subject) {
        return deliveryStatus(mail, report.text(), subject);
    }

    private List<Recipient> deliveryStatus(MailPart mail, String text, String subject) {
        // Some MTAs put the per-recipient fields into a nested message; read every header-like line in order.
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        String lastKey = null;
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                lastKey = null;
                continue;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && lastKey != null) {
                current.put(lastKey, current.get(lastKey) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            boolean startsRecipient = key.equals("final-recipient") || key.equals("original-recipient");
            if (startsRecipient && current.containsKey(key)) {
                blocks.add(current);
                current = new LinkedHashMap<>();
            }
            current.putIfAbsent(key, value);
            lastKey = key;
        }
        blocks.add(current);
        String human = notification(mail);
        List<Recipient> result = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Map<String, String> b : blocks.size() > MAX_RECIPIENTS ? blocks.subList(0, MAX_RECIPIENTS) : blocks) {
            String addr = firstAddress(b.getOrDefault("final-recipient", b.getOrDefault("original-recipient", b.get("x-actual-recipient"))));
            if (addr == null || !seen.add(addr)) {
                continue;
            }
            String action = lower(b.get("action"));
            String diagType = lower(b.getOrDefault("diagnostic-code", ""));
            String diag = stripDiagType(b.getOrDefault("diagnostic-code", ""));
            String status = b.get("status");
            if (diag.isBlank() && status != null && status.contains("(")) {
                // "Status: 4.0.0 (cat.example.net: host name lookup failure)": the comment is all the explanation there is
                diag = status.substring(status.indexOf('(') + 1).replaceAll("\\)\\s*$", "");
            }
            if (status != null) {
                Matcher m = ENHANCED.matcher(status);
                status = m.find() ? m.group() : null;
            }
            String klass = action != null && (action.startsWith("deliver") || action.startsWith("relay") || action.startsWith("expand"))
                    ? "2" : action != null && action.startsWith("delay") ? "4" : null;
            String context = humanContext(human, addr, blocks.size() > 1);
            String fallback = context + " " + (subject == null ? "" : subject);
            boolean mailer = diagType.startsWith("x-unix") || diagType.startsWith("x-local");
            if (action != null && action.startsWith("delay") && BounceReasons.fromText(diag) == null) {
                fallback = "delivery delayed " + fallback;
            }
            boolean gaveUp = action != null && action.startsWith("fail") && status != null && status.startsWith("4.");
            Recipient r = adjust(recipient(addr, status, diag, fallback, klass), diag + "\n" + context, gaveUp);
            if (mailer && !"mailboxfull".equals(r.reason())) {
                // the local delivery program failed, whatever it printed
                r = new Recipient(r.address(), r.status(), r.replyCode(), "mailererror", false, r.diagnostic());
            }
            result.add(r);
        }
        // RFC 3464 with no per-recipient block but a readable text: read it as a text bounce.
        if (result.isEmpty() && !text.equals(human)) {
            // a report that names nobody ("Delivery report unavailable"): whatever the text gives, the reason is unknown
            return textBounce(mail, subject).stream().map(r -> "onhold".equals(r.reason()) && r.status() == null
                    ? new Recipient(r.address(), null, r.replyCode(), "undefined", false, r.diagnostic()) : r).toList();
        }
        return result;
    }

    // ---------------------------------------------------------------- free-text bounces

    private List<Recipient> textBounce(MailPart mail, String subject) {
        String text = notification(mail);
        Set<String> exclude = new LinkedHashSet<>();
        Set<String> ownAddresses = new LinkedHashSet<>();
        for (String h : List.of("to", "cc", "delivered-to", "x-original-to")) {
            for (String v : mail.headers(h)) {
                ownAddresses.addAll(addresses(v));
            }
        }
        for (String h : List.of("from", "return-path", "sender", "reply-to")) {
            for (String v : mail.headers(h)) {
                exclude.addAll(addresses(v));
            }
        }
        MailPart original = originalMessage(mail);
        if (original != null) {
            for (String h : List.of("from", "return-path", "sender", "reply-to")) {
                for (String v : original.headers(h)) {
                    exclude.addAll(addresses(v));
                }
            }
        }
        Map<String, Integer> positions = new LinkedHashMap<>();
        for (String v : mail.headers("x-failed-recipients")) {
            for (String a : addresses(v)) {
                positions.putIfAbsent(a, text.toLowerCase(Locale.ROOT).indexOf(a));
            }
        }
        Map<String, Integer> own = new LinkedHashMap<>();
        for (Found m : findAddresses(text)) {
            String a = m.text().toLowerCase(Locale.ROOT);
            String local = a.substring(0, a.indexOf('@'));
            if (ownAddresses.contains(a)) {
                own.putIfAbsent(a, m.start());
                continue;
            }
            int ls = text.lastIndexOf('\n', m.start()) + 1;
            String linePrefix = text.substring(ls, m.start()).strip().toLowerCase(Locale.ROOT);
            if (linePrefix.length() < 200
                    && linePrefix.matches("(>\\s*)*(from|mail from|sender|reply-to|return-path|envelope-from|x-sender|cc)\\s*:.*")) {
                continue;
            }
            if (exclude.contains(a) || SYSTEM_LOCALS.contains(local) || local.startsWith("mailer-daemon") || local.startsWith("postmaster")
                    || a.contains("..") || isMessageIdLike(text, m.start(), m.end())) {
                continue;
            }
            positions.putIfAbsent(a, m.start());
        }
        if (positions.isEmpty()) {
            // The sender bounced to itself, or the bounce went to the failed address's own mailbox.
            own.forEach(positions::putIfAbsent);
        }
        if (positions.isEmpty() && original != null) {
            for (String v : original.headers("to")) {
                for (String a : addresses(v)) {
                    positions.putIfAbsent(a, -1);
                }
            }
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(positions.entrySet());
        entries.sort(Map.Entry.comparingByValue());
        if (entries.size() > MAX_RECIPIENTS) {
            entries = entries.subList(0, MAX_RECIPIENTS);
        }
        List<Recipient> result = new ArrayList<>();
        String whole = text + " " + (subject == null ? "" : subject);
        Fallback wholeReason = new Fallback(whole);
        for (int i = 0; i < entries.size(); i++) {
            int start = Math.max(0, entries.get(i).getValue());
            int end = i + 1 < entries.size() ? Math.max(start, entries.get(i + 1).getValue()) : text.length();
            String segment = entries.get(i).getValue() < 0 ? text : text.substring(start, end);
            Recipient r = adjust(recipient(entries.get(i).getKey(), null, segment, wholeReason, null), entries.size() == 1 ? whole : segment, false);
            if ("undefined".equals(r.reason())) {
                // a bounce whose words we do not know: held, not unknown
                r = new Recipient(r.address(), r.status(), r.replyCode(), "onhold", false, r.diagnostic());
            }
            result.add(r);
        }
        return result;
    }

    /** An address inside angle brackets right after "Message-ID:" or similar is an id, not a recipient. */
    private static boolean isMessageIdLike(String text, int start, int end) {
        int lineStart = text.lastIndexOf('\n', start) + 1;
        String before = text.substring(lineStart, start).toLowerCase(Locale.ROOT);
        return before.contains("message-id") || before.contains("in-reply-to") || before.contains("references")
                || before.contains(" id <") || before.endsWith("id=");
    }

    /** The words of the bounce notification itself: its text parts outside the returned original, cut where that begins. */
    private static String notification(MailPart mail) {
        StringBuilder sb = new StringBuilder();
        collectText(mail, sb, true);
        if (sb.length() > MAX_TEXT) {
            // real notifications are a few kilobytes; the rest of a huge one says nothing more
            sb.setLength(MAX_TEXT);
        }
        String[] lines = sb.toString().split("\r?\n");
        StringBuilder out = new StringBuilder();
        int kept = 0;
        for (String line : lines) {
            if (kept > 3 && line.length() <= 300 && ORIGINAL_STARTS.matcher(line).matches()) {
                break;
            }
            out.append(line).append('\n');
            if (!line.isBlank()) {
                kept++;
            }
        }
        return out.toString();
    }

    private static void collectText(MailPart p, StringBuilder sb, boolean top) {
        String ct = p.contentType();
        if (ct.startsWith("multipart/") && !p.children().isEmpty()) {
            for (MailPart c : p.children()) {
                collectText(c, sb, false);
            }
        } else if (ct.equals("text/plain") || (top && !ct.startsWith("message/"))) {
            sb.append(p.text()).append('\n');
        } else if (ct.equals("text/html")) {
            if (sb.isEmpty()) {
                sb.append(p.text().replaceAll("(?is)<(script|style).*?</\\1>", " ").replaceAll("(?i)<br\\s*/?>|</p>|</div>|</tr>", "\n")
                        .replaceAll("<[^>]+>", " ").replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">")
                        .replace("&amp;", "&")).append('\n');
            }
        }
    }

    /** The lines of the human-readable part that speak about one address (for DSNs without a diagnostic code). */
    private static String humanContext(String human, String address, boolean several) {
        if (human.isBlank()) {
            return "";
        }
        if (!several) {
            return human;
        }
        String lower = human.toLowerCase(Locale.ROOT);
        int at = lower.indexOf(address);
        if (at < 0) {
            return "";
        }
        int end = Math.min(lower.length(), at + 400);
        for (Found m : findAddresses(lower.substring(0, end))) {
            if (m.start() > at && !m.text().equals(address)) {
                end = m.start();
                break;
            }
        }
        return human.substring(at, end);
    }

    // ---------------------------------------------------------------- one recipient

    private static final Pattern X_HEADER_LINE = Pattern.compile("(?im)^[>\\s]*x-[a-z0-9-]+:.*$");

    /** The reason the wider text gives, worked out once however many recipients ask (a text can be long). */
    private static final class Fallback {
        private final String text;
        private String reason;
        private boolean done;

        Fallback(String text) {
            this.text = text;
        }

        String reason() {
            if (!done && text != null) {
                String t = X_HEADER_LINE.matcher(text).replaceAll(" ");
                reason = BounceReasons.fromProvider(t);
                if (reason == null) {
                    reason = BounceReasons.fromText(t);
                }
            }
            done = true;
            return reason;
        }
    }

    private static Recipient recipient(String address, String status, String diagnostic, String fallbackText, String klassHint) {
        return recipient(address, status, diagnostic, new Fallback(fallbackText), klassHint);
    }

    private static Recipient recipient(String address, String status, String diagnostic, Fallback fallback, String klassHint) {
        // quoted header lines of a forwarded original ("X-Virus-Status: Clean") are not the server's words
        String diag = diagnostic == null ? "" : X_HEADER_LINE.matcher(diagnostic).replaceAll(" ").strip().replaceAll("\\s+", " ");
        String replyCode = null;
        boolean success = "2".equals(klassHint);
        Matcher rm = REPLY.matcher(diag);
        while (rm.find()) {
            if (success || rm.group(1).charAt(0) != '2') {
                replyCode = rm.group(1);
                break;
            }
        }
        Matcher em = ENHANCED.matcher(diag);
        String diagStatus = null;
        while (em.find()) {
            if (success || em.group().charAt(0) != '2') {
                diagStatus = em.group();
                break;
            }
        }
        if (status == null || status.endsWith(".0.0") && diagStatus != null && !diagStatus.endsWith(".0.0")) {
            status = diagStatus != null ? diagStatus : status;
        }
        if (status == null && replyCode != null) {
            status = replyCode.charAt(0) + ".0.0";
        }
        String reason;
        if (success || (status != null && status.startsWith("2."))) {
            reason = "delivered";
        } else {
            reason = BounceReasons.fromProvider(diag);
            if (reason == null) {
                reason = BounceReasons.fromText(diag);
            }
            if (reason == null || "delivered".equals(reason)) {
                reason = BounceReasons.fromStatus(status);
            }
            if (reason == null) {
                reason = fallback.reason();
            }
            if (reason == null || "delivered".equals(reason)) {
                reason = "4".equals(klassHint) ? "expired" : status == null && replyCode == null ? "undefined" : "onhold";
            }
        }
        if (status == null && "4".equals(klassHint)) {
            status = "4.0.0";
        }
        if (status == null && "5".equals(klassHint)) {
            status = "5.0.0";
        }
        boolean hard = !"delivered".equals(reason) && BounceReasons.hard(reason, status, replyCode);
        String shortDiag = diag.isEmpty() ? null : diag.length() > MAX_DIAGNOSTIC ? diag.substring(0, MAX_DIAGNOSTIC) : diag;
        return new Recipient(address.toLowerCase(Locale.ROOT), status, replyCode, reason, hard, shortDiag);
    }

    private static final Pattern MAIL_FROM_PHASE = Pattern.compile("(?i)after mail from|mail from command");
    private static final Pattern CONNECT_PHASE = Pattern.compile("(?i)after (ehlo|helo|initial connection)|in reply to (ehlo|helo)|smtp greeting");
    private static final Pattern TIMED_OUT = Pattern.compile("(?i)timed out|requests to connect");
    private static final Pattern RCPT_PHASE = Pattern.compile(
            "rcpt|recipient address rejected|rejected address|address not found|address couldn.t be found|not listed in"
                    + "|recipient name is not recognized|no such user",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DATA_PHASE = Pattern.compile(
            ">>> data\\s*(\\r?\\n)?\\s*<<< [45]|end of data|after data|final data|for text command|data command|after the data",
            Pattern.CASE_INSENSITIVE);

    /**
     * Corrections that need more than the text: an unknown-user answer given only after the message body was sent is a
     * content filter pretending (the address was accepted at RCPT); a temporary failure the MTA gave up on has expired;
     * Google Groups answer for groups that refuse the sender.
     */
    private static Recipient adjust(Recipient r, String context, boolean gaveUp) {
        String reason = r.reason();
        boolean settled = BounceReasons.fromProvider(r.diagnostic()) != null
                || context != null && BounceReasons.fromProvider(context) != null;
        if (!settled && "userunknown".equals(reason) && (r.status() == null || !r.status().matches("\\d\\.1\\.\\d+"))
                && (context == null || DATA_PHASE.matcher(context).find() || !RCPT_PHASE.matcher(context).find())) {
            // "unknown user" answered to the message body, after the address was accepted: a filter's words
            reason = "filtered";
        }
        if (context != null && MAIL_FROM_PHASE.matcher(context).find()
                && (reason == null || List.of("userunknown", "hostunknown", "onhold", "undefined").contains(reason))) {
            // refused at MAIL FROM: the sender was rejected, not the recipient
            reason = "rejected";
        }
        if (context != null && CONNECT_PHASE.matcher(context).find()
                && (reason == null || List.of("onhold", "undefined", "rejected").contains(reason))) {
            // refused before any address was given: the sending host was turned away
            reason = "blocked";
        }
        if (r.address().endsWith("@googlegroups.com") && !"delivered".equals(reason)) {
            reason = "rejected";
        }
        if ("hostunknown".equals(reason) && r.status() != null && r.status().startsWith("4.")) {
            // a name lookup that failed for now: the network, not a missing domain
            reason = "networkerror";
        }
        if (gaveUp && !settled) {
            boolean timedOut = context != null && TIMED_OUT.matcher(context).find();
            if (reason == null || List.of("onhold", "undefined", "systemerror").contains(reason)
                    || "networkerror".equals(reason) && timedOut) {
                reason = "expired";
            } else if ("hostunknown".equals(reason)) {
                reason = "networkerror";
            }
        }
        if (reason.equals(r.reason())) {
            return r;
        }
        return new Recipient(r.address(), r.status(), r.replyCode(), reason, BounceReasons.hard(reason, r.status(), r.replyCode()),
                r.diagnostic());
    }

    // ---------------------------------------------------------------- helpers

    private static void checkLooksLikeMail(byte[] raw) {
        String head = new String(raw, 0, Math.min(raw.length, 4096), StandardCharsets.ISO_8859_1);
        String firstLine = head.split("\r?\n", 2)[0];
        if (firstLine.startsWith("From ")) {
            // mbox separator line: tolerated
            head = head.substring(Math.min(head.length(), head.indexOf('\n') + 1));
            firstLine = head.split("\r?\n", 2)[0];
        }
        if (!HEADER_LINE.matcher(firstLine).matches()) {
            throw new NotMailException("The body is not an RFC 822 message: it must start with header lines such as \"From: ...\".");
        }
        String lower = head.toLowerCase(Locale.ROOT);
        if (!Pattern.compile("(?m)^(from|to|subject|date|message-id|received|return-path|content-type|mime-version):").matcher(lower).find()) {
            throw new NotMailException("The body is not an RFC 822 message: none of From, To, Subject, Date, Message-ID or Received is there.");
        }
    }

    /** The returned original message (or its headers), if the bounce carries one. */
    private static MailPart originalMessage(MailPart mail) {
        for (MailPart p : mail.flatten()) {
            if (p != mail && p.hasHeaders() && isOriginal(mail, p)) {
                return p;
            }
        }
        return null;
    }

    /** A nested message: a child of a message/rfc822 or header part. */
    private static boolean isOriginal(MailPart root, MailPart candidate) {
        for (MailPart p : root.flatten()) {
            if (p.contentType().startsWith("message/") || p.contentType().equals("text/rfc822-headers")) {
                if (p.children().contains(candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean notInsideOriginal(MailPart root, MailPart candidate) {
        for (MailPart p : root.flatten()) {
            if ((p.contentType().equals("message/rfc822") || p.contentType().equals("message/global")) && p.flatten().contains(candidate)) {
                return false;
            }
        }
        return true;
    }

    /** A report inside an attached message that is itself a delivery report (a forwarded or wrapped bounce). */
    private static boolean insideForwardedReport(MailPart root, MailPart candidate) {
        for (MailPart p : root.flatten()) {
            if ((p.contentType().equals("message/rfc822") || p.contentType().equals("text/rfc822-headers"))
                    && p.flatten().contains(candidate) && !p.children().isEmpty()) {
                MailPart inner = p.children().get(0);
                if (inner.contentType().equals("multipart/report") && "delivery-status".equalsIgnoreCase(inner.param("report-type"))
                        && inner.children().stream().anyMatch(c -> c == candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String stripDiagType(String diag) {
        if (diag == null) {
            return "";
        }
        return diag.replaceFirst("(?i)^\\s*(smtp|x-[a-z0-9-]+|mta|x-unix|unix|x-postfix|x-local)\\s*;\\s*", "");
    }

    static List<String> addresses(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Found f : findAddresses(value)) {
            out.add(f.text().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** An address found in a text, with where it is. */
    record Found(String text, int start, int end) {
    }

    private static final int MAX_ADDRESSES_TRIED = 2000;

    /**
     * The addresses in a text, found around each @ only: a regular expression run over a whole hostile message (a
     * megabyte of letters) would take quadratic time.
     */
    static List<Found> findAddresses(String text) {
        List<Found> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        int from = 0;
        int tried = 0;
        Matcher m = ADDRESS.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        while (tried++ < MAX_ADDRESSES_TRIED) {
            int at = text.indexOf('@', from);
            if (at < 0) {
                break;
            }
            m.region(Math.max(from, at - 128), Math.min(text.length(), at + 256));
            Found found = null;
            while (m.find()) {
                if (m.start() <= at && m.end() > at) {
                    found = new Found(m.group(), m.start(), m.end());
                    break;
                }
                if (m.start() > at) {
                    break;
                }
            }
            if (found != null) {
                out.add(found);
                from = found.end();
            } else {
                from = at + 1;
            }
        }
        return out;
    }

    /** The text with every address replaced by a placeholder. */
    static String maskAddresses(String text) {
        List<Found> found = findAddresses(text);
        if (found.isEmpty()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int last = 0;
        for (Found f : found) {
            sb.append(text, last, f.start()).append("<address>");
            last = f.end();
        }
        return sb.append(text, last, text.length()).toString();
    }

    private static String firstAddress(String value) {
        if (value == null) {
            return null;
        }
        String v = value.replaceFirst("(?i)^\\s*(rfc822|utf-8|x-[a-z0-9-]+)\\s*;", "");
        List<String> all = addresses(v);
        return all.isEmpty() ? null : all.get(0);
    }

    static List<String> messageIdsOf(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<([^<>\\s]+@[^<>\\s]+)>").matcher(value);
        while (m.find()) {
            out.add(m.group(1));
        }
        if (out.isEmpty() && value.strip().matches("[^<>\\s]+@[^<>\\s]+")) {
            out.add(value.strip());
        }
        return out;
    }

    private static String lower(String s) {
        return s == null ? null : s.strip().toLowerCase(Locale.ROOT);
    }
}
