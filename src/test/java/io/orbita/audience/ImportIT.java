package io.orbita.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orbita.OrbitaIT;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class ImportIT extends OrbitaIT {

    @Autowired
    Imports imports;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ImportRunner runner;

    /** POSTs a multipart form, as a browser or curl -F would. */
    private Api multipart(String path, String key, Map<String, String> fields, String fileName, byte[] file) throws Exception {
        String boundary = "----orbita" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (var f : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n" + f.getValue()
                    + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", "Bearer " + key).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        return new Api(r.statusCode(), r.body().isBlank() ? null : json.readTree(r.body()), r.headers().firstValue("Content-Type").orElse(""));
    }

    private JsonNode awaitFinished(TestWorkspace ws, long id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            last[0] = get("/api/v1/imports/" + id, ws.apiKey()).body();
            String s = last[0].get("job").get("status").asString();
            return s.equals("done") || s.equals("failed") || s.equals("cancelled");
        });
        return last[0];
    }

    @Test
    void importsAWindows1251SemicolonCsvWithBrokenRowsAndReportsEachOne() throws Exception {
        var ws = newWorkspace();
        post("/api/v1/contacts", ws.apiKey(), Map.of("email", "old@client.ru", "firstName", "Старый", "tags", List.of("base")));
        String csv = """
                E-mail;Фамилия;Имя;Должность;День рождения;Телефон
                ivan.petrov@client.ru;Петров;Иван;Главный инженер;12.04.1985;8 (912) 345-67-89
                не адрес;Сидоров;Пётр;;;
                anna@client.ru;Смирнова;Анна;;31.02.1990;
                old@client.ru;Старых;;Директор;;
                IVAN.PETROV@client.ru;;Иван;;;+7 912 000 00 00
                ;;;;;
                x@mailinator.com;Одноразов;;;;
                """.replace("\n", "\r\n");
        var r = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "contacts", "sourceLabel", "Выставка Металлообработка-2026",
                "tags", "expo-2026, новые"), "база.csv", csv.getBytes(Charset.forName("windows-1251")));
        assertThat(r.status()).isEqualTo(202);
        long id = r.body().get("job").get("id").asLong();
        assertThat(r.body().get("job").get("encoding").asString()).isEqualTo("windows-1251");
        JsonNode done = awaitFinished(ws, id);
        JsonNode job = done.get("job");
        assertThat(job.get("status").asString()).isEqualTo("done");
        assertThat(job.get("rowsDone").asLong()).isEqualTo(7);
        assertThat(job.get("created").asLong()).as("ivan (merged twice) is one contact").isEqualTo(1);
        assertThat(job.get("updated").asLong()).isEqualTo(1);
        assertThat(job.get("skipped").asLong()).as("3 bad rows and 1 empty row").isEqualTo(4);
        assertThat(done.get("errorRows").asLong()).isEqualTo(3);

        JsonNode ivan = get("/api/v1/contacts?email=ivan.petrov@client.ru", ws.apiKey()).body().get("items").get(0);
        assertThat(ivan.get("lastName").asString()).isEqualTo("Петров");
        assertThat(ivan.get("phone").asString()).as("the later row of the same email wins").isEqualTo("+79120000000");
        assertThat(ivan.get("birthday").asString()).isEqualTo("1985-04-12");
        assertThat(ivan.get("sourceLabel").asString()).isEqualTo("Выставка Металлообработка-2026");
        assertThat(ivan.get("sourceKind").asString()).isEqualTo("import");
        assertThat(ivan.get("tags").toString()).contains("expo-2026", "новые");
        JsonNode old = get("/api/v1/contacts?email=old@client.ru", ws.apiKey()).body().get("items").get(0);
        assertThat(old.get("firstName").asString()).as("empty cells do not erase").isEqualTo("Старый");
        assertThat(old.get("position").asString()).isEqualTo("Директор");
        assertThat(old.has("sourceLabel")).as("an existing contact keeps its source").isFalse();
        assertThat(old.get("tags").toString()).contains("base", "expo-2026");

        HttpResponse<String> errors = http.send(HttpRequest.newBuilder(URI.create(url("/api/v1/imports/" + id + "/errors")))
                .header("Authorization", "Bearer " + ws.apiKey()).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(errors.body()).startsWith("\uFEFFrow;column;value;reason");
        assertThat(errors.body()).contains("3;E-mail;не адрес;", "4;День рождения;31.02.1990;", "8;E-mail;x@mailinator.com;");
    }

    @Test
    void importsXlsxWithCompaniesThenContactsLinkedByCompanyName() throws Exception {
        var ws = newWorkspace();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Workbook wb = new Workbook(out, "test", "1.0");
        var sheet = wb.newWorksheet("Компании");
        sheet.value(0, 0, "Наименование");
        sheet.value(0, 1, "ИНН");
        sheet.value(0, 2, "Отрасль");
        sheet.value(1, 0, "ООО «Точные приборы»");
        sheet.value(1, 1, "7707083893");
        sheet.value(1, 2, "Оптика");
        sheet.value(2, 0, "АО «Плохой ИНН»");
        sheet.value(2, 1, "1234567890");
        wb.finish();
        var companies = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "companies"), "companies.xlsx", out.toByteArray());
        JsonNode done = awaitFinished(ws, companies.body().get("job").get("id").asLong());
        assertThat(done.get("job").get("created").asLong()).isEqualTo(1);
        assertThat(done.get("errorRows").asLong()).isEqualTo(1);

        String csv = "email,name,company\nsveta@tochpribor.ru,Светлана,ООО «Точные приборы»\nnobody@x.ru,Никто,Нет такой\n";
        var contacts = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "contacts",
                "mapping", "{\"email\": \"email\", \"name\": \"firstName\", \"2\": \"companyName\"}"), "c.csv", csv.getBytes(StandardCharsets.UTF_8));
        JsonNode c = awaitFinished(ws, contacts.body().get("job").get("id").asLong());
        assertThat(c.get("job").get("created").asLong()).isEqualTo(1);
        assertThat(c.get("errorRows").asLong()).isEqualTo(1);
        assertThat(get("/api/v1/contacts?email=sveta@tochpribor.ru", ws.apiKey()).body().get("items").get(0).get("companyName").asString())
                .isEqualTo("ООО «Точные приборы»");
    }

    @Test
    void badMappingsAndFilesAreRefusedWithTheReason() throws Exception {
        var ws = newWorkspace();
        byte[] csv = "Фамилия;Имя\nПетров;Иван\n".getBytes(StandardCharsets.UTF_8);
        var noEmail = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "contacts"), "a.csv", csv);
        assertThat(noEmail.status()).isEqualTo(400);
        assertThat(noEmail.body().get("errors").get(0).get("code").asString()).isEqualTo("import.required");
        var unknownField = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "contacts", "mapping", "{\"Фамилия\": \"surname\"}"), "a.csv", csv);
        assertThat(unknownField.body().get("errors").get(0).get("code").asString()).isEqualTo("import.field");
        var empty = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "contacts"), "a.csv", new byte[0]);
        assertThat(empty.status()).isEqualTo(400);
        var kind = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "planets"), "a.csv", csv);
        assertThat(kind.body().get("errors").get(0).get("field").asString()).isEqualTo("kind");
    }

    @Test
    void anInterruptedImportResumesAfterTheLastCommittedRow() throws Exception {
        var ws = newWorkspace();
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < 2500; i++) {
            csv.append("resume").append(i).append("@client.ru\n");
        }
        ImportJob job = imports.upload(ws.owner(), "contacts", "big.csv", new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)));
        // What a node that crashed after committing the first batch leaves behind: running, 1000 rows done, lease expired.
        jdbc.sql("""
                        update import_job set status = 'running', mapping = '{"0": "email"}', rows_done = 1000, created = 1000,
                            locked_until = now() - interval '1 minute' where workspace_id = ? and id = ?""")
                .params(ws.id().value(), job.id()).update();
        JsonNode done = awaitFinished(ws, job.id()).get("job");
        assertThat(done.get("status").asString()).isEqualTo("done");
        assertThat(done.get("rowsDone").asLong()).isEqualTo(2500);
        assertThat(done.get("created").asLong()).isEqualTo(2500);
        long stored = jdbc.sql("select count(*) from contact where workspace_id = ?").param(ws.id().value()).query(Long.class).single();
        assertThat(stored).as("rows 1-1000 were the crashed node's; only the rest is applied again").isEqualTo(1500);
        assertThat(get("/api/v1/contacts?email=resume999@client.ru", ws.apiKey()).body().get("items").size()).isZero();
        assertThat(get("/api/v1/contacts?email=resume1000@client.ru", ws.apiKey()).body().get("items").size()).isEqualTo(1);
    }

    @Test
    void aStoredPositionThatFellBehindIsResumedFromAndNoRowIsSkipped() throws Exception {
        var ws = newWorkspace();
        int total = 100_000;
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < total; i++) {
            csv.append("behind").append(i).append("@client.ru\n");
        }
        var r = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "contacts"), "behind.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        long id = r.body().get("job").get("id").asLong();
        // What a database crash with unflushed batch commits leaves while the importing process lives on: the stored
        // position goes back to an earlier batch. The run must notice and resume from there instead of carrying on.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> jdbc.sql(
                "select rows_done from import_job where workspace_id = ? and id = ?").params(ws.id().value(), id)
                .query(Long.class).single() >= ImportRunner.BATCH);
        int rolledBack = jdbc.sql("update import_job set rows_done = 0 where workspace_id = ? and id = ? and status = 'running'")
                .params(ws.id().value(), id).update();
        assertThat(rolledBack).as("the import was still running when its position was set back").isEqualTo(1);
        JsonNode job = awaitFinished(ws, id).get("job");
        assertThat(job.get("status").asString()).isEqualTo("done");
        assertThat(job.get("rowsDone").asLong()).isEqualTo(total);
        long stored = jdbc.sql("select count(*) from contact where workspace_id = ?").param(ws.id().value()).query(Long.class).single();
        assertThat(stored).isEqualTo(total);
    }

    /**
     * A file that cannot be read past some row (an unclosed quote) fails there with the reason, and keeps every batch
     * applied before it.
     */
    @Test
    void aFileThatBreaksInTheMiddleFailsThereAndKeepsTheBatchesBefore() throws Exception {
        var ws = newWorkspace();
        StringBuilder csv = new StringBuilder("email;name\n");
        int good = 2 * ImportRunner.BATCH + 1500;
        for (int i = 0; i < good; i++) {
            csv.append("broken").append(i).append("@client.ru;Имя\n");
        }
        csv.append("tail@client.ru;\"never closed\n");
        var r = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "contacts"), "broken.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(202);
        JsonNode job = awaitFinished(ws, r.body().get("job").get("id").asLong()).get("job");
        assertThat(job.get("status").asString()).isEqualTo("failed");
        assertThat(job.get("message").asString()).startsWith("stopped: ").containsIgnoringCase("EOF");
        assertThat(job.get("rowsDone").asLong()).isEqualTo(2L * ImportRunner.BATCH);
        long stored = jdbc.sql("select count(*) from contact where workspace_id = ?").param(ws.id().value()).query(Long.class).single();
        assertThat(stored).isEqualTo(job.get("created").asLong()).isEqualTo(2L * ImportRunner.BATCH);
        // A failed import never runs again: the nightly clean-up drops its file (its counters and errors stay).
        String chunks = "select count(*) from import_file where workspace_id = ? and import_id = ?";
        long id = r.body().get("job").get("id").asLong();
        assertThat(jdbc.sql(chunks).params(ws.id().value(), id).query(Long.class).single()).isPositive();
        runner.dropStaleFiles();
        assertThat(jdbc.sql(chunks).params(ws.id().value(), id).query(Long.class).single()).isZero();
        assertThat(get("/api/v1/imports/" + id, ws.apiKey()).body().get("job").get("rowsDone").asLong()).isEqualTo(2L * ImportRunner.BATCH);
    }

    /**
     * The next batch is read and validated while the one before is written; an email of one batch that comes again in
     * the next is still found as stored (its row updates the contact, later fields winning), never a duplicate.
     */
    @Test
    void customFieldsTagsAndDatesOfAFileArriveOnTheContact() throws Exception {
        var ws = newWorkspace();
        assertThat(post("/api/v1/custom-fields", ws.apiKey(), Map.of("key", "level", "label", "Уровень", "type", "text",
                "entity", "contact")).status()).isEqualTo(201);
        String csv = "email;level;tags;birthday\n"
                + "plain@fields.ru;;;\n"
                + "gold@fields.ru;золото;vip, Import;1.2.1990\n"
                + "iso@fields.ru;серебро;;1990-12-31\n"
                + "bad-date@fields.ru;;;31.02.1990\n";
        var r = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "contacts", "tags", "import, IMPORT, осень",
                "mapping", "{\"0\":\"email\",\"1\":\"customFields.level\",\"2\":\"tags\",\"3\":\"birthday\"}"), "fields.csv",
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
        JsonNode job = awaitFinished(ws, r.body().get("job").get("id").asLong()).get("job");
        assertThat(job.get("created").asLong()).isEqualTo(3);
        assertThat(job.get("skipped").asLong()).isEqualTo(1);
        String row = "select coalesce(custom_fields ->> 'level', '-') || ' | ' || array_to_string(tags, ',') || ' | '"
                + " || coalesce(birthday::text, '-') from contact where workspace_id = ? and email = ?";
        // The import's tags once each (first spelling), after the row's own; a row without tags gets the import's.
        assertThat(jdbc.sql(row).params(ws.id().value(), "plain@fields.ru").query(String.class).single()).isEqualTo("- | import,осень | -");
        assertThat(jdbc.sql(row).params(ws.id().value(), "gold@fields.ru").query(String.class).single())
                .isEqualTo("золото | vip,Import,осень | 1990-02-01");
        assertThat(jdbc.sql(row).params(ws.id().value(), "iso@fields.ru").query(String.class).single()).isEqualTo("серебро | import,осень | 1990-12-31");
    }

    @Test
    void anEmailRepeatedInTheNextBatchUpdatesTheContactTheBatchBeforeCreated() throws Exception {
        var ws = newWorkspace();
        StringBuilder csv = new StringBuilder("email;name;position\n");
        for (int i = 0; i < ImportRunner.BATCH; i++) {
            csv.append("again").append(i).append("@client.ru;Первый;\n");
        }
        for (int i = 0; i < 10; i++) {
            csv.append("AGAIN").append(i).append("@client.ru;Второй;Директор\n");
        }
        var r = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "contacts",
                "mapping", "{\"0\":\"email\",\"1\":\"firstName\",\"2\":\"position\"}"), "again.csv",
                csv.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(202);
        JsonNode job = awaitFinished(ws, r.body().get("job").get("id").asLong()).get("job");
        assertThat(job.get("status").asString()).isEqualTo("done");
        assertThat(job.get("created").asLong()).isEqualTo(ImportRunner.BATCH);
        assertThat(job.get("updated").asLong()).isEqualTo(10);
        assertThat(job.get("skipped").asLong()).isZero();
        assertThat(jdbc.sql("select first_name || ' ' || position from contact where workspace_id = ? and lower(email) = 'again3@client.ru'")
                .param(ws.id().value()).query(String.class).single()).isEqualTo("Второй Директор");
    }

    @Test
    void cancellingStopsBetweenBatchesAndKeepsWhatWasImported() throws Exception {
        var ws = newWorkspace();
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < 50_000; i++) {
            csv.append("cancel").append(i).append("@client.ru\n");
        }
        var r = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "contacts"), "huge.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        long id = r.body().get("job").get("id").asLong();
        assertThat(post("/api/v1/imports/" + id + "/cancel", ws.apiKey(), null).status()).isEqualTo(200);
        JsonNode job = awaitFinished(ws, id).get("job");
        assertThat(job.get("status").asString()).isEqualTo("cancelled");
        long stored = jdbc.sql("select count(*) from contact where workspace_id = ?").param(ws.id().value()).query(Long.class).single();
        assertThat(stored).isEqualTo(job.get("created").asLong()).isLessThan(50_000);
    }

    @Test
    void exportsContactsAsCsvInBothEncodingsAndAsXlsx() throws Exception {
        var ws = newWorkspace();
        post("/api/v1/contacts", ws.apiKey(), Map.of("email", "export@client.ru", "lastName", "Экспортов", "firstName", "Ёжик",
                "tags", List.of("a", "b")));
        HttpResponse<byte[]> utf8 = download("/api/v1/contacts/export", ws.apiKey());
        String text = new String(utf8.body(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFFemail;lastName;firstName").contains("export@client.ru;Экспортов;Ёжик");
        HttpResponse<byte[]> cp1251 = download("/api/v1/contacts/export?encoding=windows-1251", ws.apiKey());
        assertThat(new String(cp1251.body(), Charset.forName("windows-1251"))).contains("Экспортов;Ёжик");
        HttpResponse<byte[]> xlsx = download("/api/v1/contacts/export?format=xlsx", ws.apiKey());
        try (ReadableWorkbook book = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            List<String> second = new ArrayList<>();
            book.getFirstSheet().read().get(1).forEach(c -> second.add(c == null ? "" : c.getText()));
            assertThat(second).startsWith("export@client.ru", "Экспортов", "Ёжик");
        }
        assertThat(download("/api/v1/contacts/export?format=pdf", ws.apiKey()).statusCode()).isEqualTo(400);
    }

    private HttpResponse<byte[]> download(String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void importsProductsThenOrdersThatCountAsPurchases() throws Exception {
        var ws = newWorkspace();
        post("/api/v1/contacts", ws.apiKey(), Map.of("email", "buyer@zavod.ru"));
        String products = "Артикул;Наименование;Категория;Цена\nSCOPE-5;Микроскоп;Оптика;100 000,00\nLENS;Объектив;Оптика;не цена\n";
        var p = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "products"), "products.csv", products.getBytes(StandardCharsets.UTF_8));
        JsonNode pd = awaitFinished(ws, p.body().get("job").get("id").asLong());
        assertThat(pd.get("job").get("created").asLong()).isEqualTo(1);
        assertThat(pd.get("errorRows").asLong()).isEqualTo(1);
        String orders = "Номер заказа;Email;Дата;Статус;Артикул;Количество\nA-1;buyer@zavod.ru;15.03.2026;paid;SCOPE-5;2\n"
                + "A-2;buyer@zavod.ru;20.04.2026;cancelled;SCOPE-5;1\nA-3;nobody@zavod.ru;21.04.2026;paid;SCOPE-5;1\n";
        var o = multipart("/api/v1/imports", ws.apiKey(), Map.of("kind", "orders"), "orders.csv", orders.getBytes(StandardCharsets.UTF_8));
        JsonNode od = awaitFinished(ws, o.body().get("job").get("id").asLong());
        assertThat(od.get("job").get("created").asLong()).isEqualTo(2);
        assertThat(od.get("errorRows").asLong()).isEqualTo(1);
        long buyer = get("/api/v1/contacts?email=buyer@zavod.ru", ws.apiKey()).body().get("items").get(0).get("id").asLong();
        JsonNode summary = get("/api/v1/contacts/" + buyer + "/purchases", ws.apiKey()).body().get("summary");
        assertThat(summary.get("orders").asLong()).isEqualTo(1);
        assertThat(summary.get("revenue").decimalValue()).isEqualByComparingTo("200000.00");
    }
}
