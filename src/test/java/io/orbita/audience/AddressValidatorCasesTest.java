package io.orbita.audience;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.audience.AddressCheck.Verdict;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The validator against the 286 syntax cases of the python email-validator suite in ../shared/testdata. Every case where
 * Orbita decides differently is listed in {@link #DELIBERATE} with the reason; any other difference fails.
 */
class AddressValidatorCasesTest {

    static final Path CASES = Path.of("../shared/testdata/email-addresses/cases.csv");

    /** Address → why Orbita's verdict differs from upstream's default. */
    static final Map<String, String> DELIBERATE = Map.ofEntries(
            Map.entry("＠@fullwidth.at", "a full-width @ in the local part is almost always a typo; refused"),
            Map.entry("λambdaツ@test", "a one-label domain cannot receive mail from the internet"));

    /** Whole classes of deliberate differences. */
    static boolean deliberate(String address) {
        if (address.strip().startsWith("\"")) {
            return true; // quoted local parts are refused for sending
        }
        if (!address.equals(address.strip()) && !address.strip().isEmpty()) {
            return true; // spaces and line breaks around an address are trimmed, as imports and forms need
        }
        if (!java.text.Normalizer.isNormalized(address, java.text.Normalizer.Form.NFC)) {
            return true; // length is measured on the NFC form Orbita stores and sends, not on decomposed input
        }
        if (address.strip().endsWith(">")) {
            return true; // "Name <address>" pasted from a mail client is read as the address
        }
        return false;
    }

    private final AddressValidator validator = new AddressValidator(MailDomains.OFF);

    record Case(String test, String address, String expected, String note) {
    }

    @Test
    void agreesWithUpstreamExceptWhereOrbitaDecidedOtherwise() throws IOException {
        Assumptions.assumeTrue(Files.exists(CASES), "skipped: " + CASES + " is not present (shared test data)");
        List<String> surprises = new ArrayList<>();
        int checked = 0;
        for (Case c : read()) {
            Verdict v = validator.check(c.address()).verdict();
            boolean accepted = v != Verdict.INVALID;
            boolean upstreamAccepts = switch (c.expected()) {
                case "valid", "invalid_if_smtputf8_off" -> true;
                // Orbita keeps RFC 5321's limit of 64 bytes before the @.
                case "invalid_only_if_strict" -> false;
                // Orbita accepts neither quoted local parts nor domain literals: nobody sends marketing mail to [1.2.3.4].
                case "valid_only_if_allow_quoted_local", "valid_only_if_allow_domain_literal" -> false;
                default -> false;
            };
            checked++;
            if (accepted != upstreamAccepts && !DELIBERATE.containsKey(c.address()) && !deliberate(c.address())) {
                surprises.add(c.test() + ": " + c.address().replace("\r", "\\r").replace("\n", "\\n")
                        + " upstream=" + c.expected() + " orbita=" + v + " (" + validator.check(c.address()).reason().message() + ")");
            }
        }
        assertThat(checked).isGreaterThan(280);
        assertThat(surprises).as("cases decided differently from upstream without a recorded reason").isEmpty();
    }

    private List<Case> read() throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        List<Case> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(CASES, StandardCharsets.UTF_8)) {
            List<List<String>> rows = Csv.parse(r);
            for (List<String> row : rows.subList(1, rows.size())) {
                out.add(new Case(row.get(0), json.readValue(row.get(1), String.class), row.get(3), row.get(5)));
            }
        }
        return out;
    }

    /** A minimal RFC 4180 reader for the test data (quoted fields with doubled quotes and line breaks). */
    static final class Csv {
        static List<List<String>> parse(Reader r) throws IOException {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            int ch;
            while ((ch = r.read()) != -1) {
                char c = (char) ch;
                if (quoted) {
                    if (c == '"') {
                        r.mark(1);
                        int next = r.read();
                        if (next == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            if (next != -1) {
                                r.reset();
                            }
                        }
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n') {
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else if (c != '\r') {
                    field.append(c);
                }
            }
            if (field.length() > 0 || !row.isEmpty()) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}
