package io.orbita.audience;

import io.orbita.audience.AddressCheck.Reason;
import io.orbita.audience.AddressCheck.Verdict;
import io.orbita.platform.BoundedMemo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Judges addresses the way a sending platform must: syntax strict enough that every accepted address can be sent to,
 * then the things that make a syntactically fine address a bad idea: disposable providers, no-reply mailboxes,
 * function mailboxes (risky, not invalid, in B2B), likely typos of big providers, and optionally a domain without mail.
 * Contacts, imports and the validation API all use this one class.
 */
@Service
public class AddressValidator {

    /** The largest edit distance {@link #suggestDomain} treats as a typo. */
    private static final int MAX_TYPO_DISTANCE = 2;

    static final Set<String> UNDELIVERABLE_LOCAL = Set.of("noreply", "no-reply", "no_reply", "donotreply", "do-not-reply",
            "mailer-daemon", "nobody");

    private final Set<String> disposable = load("/audience/disposable-domains.txt");
    private final List<String> known = List.copyOf(load("/audience/known-domains.txt"));
    private final Set<String> knownSet = Set.copyOf(known);
    private final Set<String> roles = load("/audience/role-local-parts.txt");
    private final MailDomains mailDomains;
    /**
     * What is known of each domain as written after the @, in one place: an import repeats the same few thousand domains
     * many times, and each lookup in a large map is a few cache misses (three maps per address were a tenth of an
     * import's Java time).
     */
    private final BoundedMemo<String, DomainFacts> domains = new BoundedMemo<>(100_000);
    /** Verdicts by address as given: events by email and re-imports bring the same addresses again and again. */
    private final BoundedMemo<String, AddressCheck> verdicts = new BoundedMemo<>(200_000);

    public AddressValidator(MailDomains mailDomains) {
        this.mailDomains = mailDomains;
    }

    public List<AddressCheck> checkAll(List<String> inputs) {
        List<AddressCheck> out = new ArrayList<>(inputs.size());
        inputs.forEach(i -> out.add(check(i)));
        return out;
    }

    public AddressCheck check(String input) {
        if (input == null) {
            return judge(null);
        }
        // With DNS lookups on, verdicts are not kept here: the DNS answers have their own expiring cache.
        return mailDomains != MailDomains.OFF ? judge(input) : verdicts.get(input, this::judge);
    }

    /**
     * As {@link #check}, without the remembered verdicts: for addresses that will not come again soon. A file import's
     * million distinct addresses would only churn that cache (and keep the collector busy with it) for no hit.
     */
    public AddressCheck checkOnce(String input) {
        return judge(input);
    }

    private AddressCheck judge(String input) {
        String raw = input == null ? "" : input;
        String candidate = withoutDisplayName(raw.strip());
        if (candidate.indexOf('\uFF20') >= 0 || candidate.indexOf('\uFE6B') >= 0) {
            return invalid(input, "syntax", "the address uses a look-alike of the @ sign; type a plain @");
        }
        if (candidate.startsWith("\"")) {
            // Deliberately stricter than RFC 5322: quoted local parts are legal but many servers and ESPs mishandle them.
            return invalid(input, "quoted_local_part", "addresses with a quoted part before @ are not accepted for sending");
        }
        DomainFacts[] facts = new DomainFacts[1];
        EmailAddress.Parsed parsed = EmailAddress.parse(candidate, written -> (facts[0] = domains.get(written, this::factsOf)).check());
        if (!parsed.valid()) {
            return invalid(input, "syntax", parsed.rejection().message());
        }
        EmailAddress address = parsed.address();
        String normalized = address.value();
        String local = address.localPart().toLowerCase(Locale.ROOT);

        if (facts[0].disposable()) {
            return new AddressCheck(input, Verdict.INVALID, new Reason("disposable",
                    "the domain belongs to a disposable mailbox service"), normalized, null);
        }
        if (UNDELIVERABLE_LOCAL.contains(local) || local.equals("postmaster")) {
            return new AddressCheck(input, Verdict.INVALID, new Reason("no_reply",
                    "the mailbox does not take mail from people (no-reply or system address)"), normalized, null);
        }
        String suggestion = facts[0].suggestion();
        if (suggestion != null) {
            String suggested = address.localPart() + "@" + suggestion;
            return new AddressCheck(input, Verdict.RISKY, new Reason("possible_typo",
                    "the domain looks like a misspelling of " + suggestion), normalized, suggested);
        }
        var accepts = mailDomains == MailDomains.OFF ? Optional.<Boolean>empty() : mailDomains.acceptsMail(address.asciiDomain());
        if (accepts.isPresent() && !accepts.get()) {
            return new AddressCheck(input, Verdict.INVALID, new Reason("no_mail_server",
                    "the domain has no mail server (no MX or A record)"), normalized, null);
        }
        if (roles.contains(withoutNumber(local))) {
            return new AddressCheck(input, Verdict.RISKY, new Reason("role_address",
                    "a function mailbox (info@, sales@…), read by whoever is on duty rather than a named person"), normalized, null);
        }
        return new AddressCheck(input, Verdict.VALID, new Reason("ok", "the address looks deliverable"), normalized, null);
    }

    /** "sales2" → "sales", "info-01" → "info": a role mailbox keeps its role when numbered. Imports ask this per row. */
    static String withoutNumber(String local) {
        int end = local.length();
        while (end > 0 && local.charAt(end - 1) >= '0' && local.charAt(end - 1) <= '9') {
            end--;
        }
        if (end == local.length()) {
            return local;
        }
        if (end > 0 && (local.charAt(end - 1) == '.' || local.charAt(end - 1) == '_' || local.charAt(end - 1) == '-')) {
            end--;
        }
        return local.substring(0, end);
    }

    /** "Иван Петров <ivan@example.ru>" as people paste it from a mail client: keep the address. */
    static String withoutDisplayName(String s) {
        if (s.endsWith(">") && s.indexOf('<') >= 0) {
            return s.substring(s.lastIndexOf('<') + 1, s.length() - 1).strip();
        }
        return s;
    }

    /** A domain as written: the parser's check, and (for a domain that can receive mail) the validator's own facts. */
    private record DomainFacts(EmailAddress.DomainCheck check, boolean disposable, String suggestion) {
    }

    private DomainFacts factsOf(String written) {
        EmailAddress.DomainCheck check = EmailAddress.checkDomain(written);
        if (check.rejection() != null) {
            return new DomainFacts(check, false, null);
        }
        return new DomainFacts(check, matchesDomain(disposable, check.unicode()), suggestDomain(check.unicode()));
    }

    /** The known provider domain this one is probably a typo of, or null. Exact matches and far-off domains get null. */
    String suggestDomain(String domain) {
        return knownSet.contains(domain) ? null : closestKnown(domain);
    }

    private String closestKnown(String domain) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            if (Math.abs(k.length() - domain.length()) > 2) {
                continue;
            }
            int d = distance(domain, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        // One edit for short domains, two for longer ones: "mail.ry" → "mail.ru", "gmial.com" → "gmail.com",
        // but a company domain such as "mail.rt.ru" must not be "corrected".
        int allowed = best != null && best.length() <= 7 ? 1 : 2;
        return bestDistance <= allowed && sameShape(domain, best) ? best : null;
    }

    /** A typo keeps the number of labels; "ya.ru" against "yandex.ru" is another provider, not a typo. */
    private static boolean sameShape(String a, String b) {
        return a.split("\\.").length == b.split("\\.").length && Math.abs(a.length() - b.length()) <= 2;
    }

    /**
     * Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. Three rows of the
     * table are enough (a swap looks two rows back); every new domain of an import is compared with the known ones.
     */
    static int distance(String a, String b) {
        int[] before = new int[b.length() + 1];
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        int previousMin = 0;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, before[j - 2] + 1);
                }
                current[j] = d;
                rowMin = Math.min(rowMin, d);
            }
            // Distances never shrink from one row to the row after next, so once two rows are past any distance a typo
            // may have, the exact value no longer matters to the caller (every new import domain pays this loop).
            if (i > 1 && rowMin > MAX_TYPO_DISTANCE && previousMin > MAX_TYPO_DISTANCE) {
                return rowMin;
            }
            previousMin = rowMin;
            int[] free = before;
            before = previous;
            previous = current;
            current = free;
        }
        return previous[b.length()];
    }

    private static boolean matchesDomain(Set<String> list, String domain) {
        for (String d = domain; d.contains("."); d = d.substring(d.indexOf('.') + 1)) {
            if (list.contains(d)) {
                return true;
            }
        }
        return false;
    }

    private static AddressCheck invalid(String input, String code, String message) {
        return new AddressCheck(input, Verdict.INVALID, new Reason(code, message), null, null);
    }

    private static Set<String> load(String resource) {
        try (var in = AddressValidator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            Set<String> out = new LinkedHashSet<>();
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .forEach(l -> out.add(l.toLowerCase(Locale.ROOT)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
