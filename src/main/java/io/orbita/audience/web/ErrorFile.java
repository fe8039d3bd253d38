package io.orbita.audience.web;

import io.orbita.audience.Imports;
import io.orbita.platform.WorkspaceId;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/** Sends an import's error file as a CSV download, for the API and the import page alike. */
final class ErrorFile {

    private ErrorFile() {
    }

    static void send(Imports imports, WorkspaceId ws, long id, HttpServletResponse response) throws IOException {
        imports.get(ws, id);
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"import-" + id + "-errors.csv\"");
        var writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        imports.writeErrors(ws, id, writer);
        writer.flush();
    }
}
