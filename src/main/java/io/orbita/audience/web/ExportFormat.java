package io.orbita.audience.web;

import io.orbita.audience.ContactExport;
import io.orbita.audience.ContactFilter;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.ValidationException;
import io.orbita.workspace.OrbitaPrincipal;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.LocalDate;

/** Writes a contacts export in the asked format to the response, for both the API and the contacts page. */
final class ExportFormat {

    private ExportFormat() {
    }

    static void write(ContactExport export, OrbitaPrincipal me, ContactFilter filter, String format, String encoding,
                      HttpServletResponse response) throws IOException {
        String name = "contacts-" + LocalDate.now();
        switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "xlsx" -> {
                response.setContentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
                response.setHeader("Content-Disposition", "attachment; filename=\"" + name + ".xlsx\"");
                export.xlsx(me.workspace(), filter, response.getOutputStream());
            }
            case "csv" -> {
                boolean cp1251 = encoding.equalsIgnoreCase("windows-1251") || encoding.equalsIgnoreCase("cp1251");
                if (!cp1251 && !encoding.equalsIgnoreCase("utf-8")) {
                    throw new ValidationException(FieldProblem.of("encoding", "export.encoding", "encoding must be utf-8 or windows-1251"));
                }
                response.setContentType("text/csv; charset=" + (cp1251 ? "windows-1251" : "UTF-8"));
                response.setHeader("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
                export.csv(me.workspace(), filter, cp1251, response.getOutputStream());
            }
            default -> throw new ValidationException(FieldProblem.of("format", "export.format", "format must be csv or xlsx"));
        }
    }
}
