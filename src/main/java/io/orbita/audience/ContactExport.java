package io.orbita.audience;

import io.orbita.platform.Page;
import io.orbita.platform.WorkspaceId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.springframework.stereotype.Service;

/**
 * Contacts to CSV (UTF-8 with BOM, or Windows-1251 for old Excel; {@code ;}-separated, as Russian Excel expects) or
 * XLSX. Streams page by page, so exporting a million contacts needs no more memory than exporting ten.
 */
@Service
public class ContactExport {

    private static final int PAGE = 5000;

    private final Contacts contacts;
    private final CustomFields customFields;

    ContactExport(Contacts contacts, CustomFields customFields) {
        this.contacts = contacts;
        this.customFields = customFields;
    }

    public void csv(WorkspaceId ws, ContactFilter filter, boolean windows1251, OutputStream out) throws IOException {
        Charset charset = windows1251 ? Charset.forName("windows-1251") : StandardCharsets.UTF_8;
        // Characters Windows-1251 lacks become "?" instead of failing the whole export.
        CharsetEncoder encoder = charset.newEncoder().onUnmappableCharacter(CodingErrorAction.REPLACE);
        Writer writer = new OutputStreamWriter(out, encoder);
        if (!windows1251) {
            writer.write('\uFEFF');
        }
        List<CustomField> fields = customFields.list(ws, "contact");
        CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setDelimiter(';').get());
        csv.printRecord(header(fields));
        forEach(ws, filter, c -> csv.printRecord(row(c, fields)));
        csv.flush();
    }

    public void xlsx(WorkspaceId ws, ContactFilter filter, OutputStream out) throws IOException {
        List<CustomField> fields = customFields.list(ws, "contact");
        Workbook book = new Workbook(out, "Orbita", "1.0");
        Worksheet sheet = book.newWorksheet("Contacts");
        List<String> header = header(fields);
        for (int i = 0; i < header.size(); i++) {
            sheet.value(0, i, header.get(i));
            sheet.style(0, i).bold().set();
        }
        int[] r = {1};
        forEach(ws, filter, c -> {
            List<String> row = row(c, fields);
            for (int i = 0; i < row.size(); i++) {
                if (!row.get(i).isEmpty()) {
                    sheet.value(r[0], i, row.get(i));
                }
            }
            if (r[0] % PAGE == 0) {
                sheet.flush();
            }
            r[0]++;
        });
        book.finish();
    }

    private interface RowWriter {
        void write(Contact c) throws IOException;
    }

    private void forEach(WorkspaceId ws, ContactFilter filter, RowWriter writer) throws IOException {
        String cursor = null;
        do {
            Page<Contact> page = contacts.list(ws, filter, cursor, PAGE);
            for (Contact c : page.items()) {
                writer.write(c);
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    static List<String> header(List<CustomField> fields) {
        List<String> h = new ArrayList<>(List.of("email", "lastName", "firstName", "middleName", "position", "phone", "birthday",
                "company", "type", "sourceLabel", "sourceKind", "manager", "tags", "consentStatus", "createdAt"));
        fields.forEach(f -> h.add("customFields." + f.key()));
        return h;
    }

    static List<String> row(Contact c, List<CustomField> fields) {
        List<String> r = new ArrayList<>(List.of(c.email(), s(c.lastName()), s(c.firstName()), s(c.middleName()), s(c.position()),
                s(c.phone()), c.birthday() == null ? "" : c.birthday().toString(), s(c.companyName()),
                c.type() == null ? "" : c.type().code(), s(c.sourceLabel()), c.sourceKind() == null ? "" : c.sourceKind().code(),
                s(c.managerName()), String.join(", ", c.tags()), c.consentStatus().code(), c.createdAt().toString()));
        fields.forEach(f -> r.add(c.customFields().get(f.key()) == null ? "" : c.customFields().get(f.key()).toString()));
        return r;
    }

    private static String s(String v) {
        return v == null ? "" : v;
    }
}
