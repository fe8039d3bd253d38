package io.orbita.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dhatim.fastexcel.Workbook;
import org.junit.jupiter.api.Test;

class TableReaderTest {

    private static List<List<String>> read(byte[] bytes, String name) throws Exception {
        TableReader.Format f = TableReader.detect(bytes, name);
        List<List<String>> rows = new ArrayList<>();
        try (TableReader r = TableReader.open(new ByteArrayInputStream(bytes), f)) {
            r.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void readsRussianExcelCsvInWindows1251WithSemicolons() throws Exception {
        byte[] bytes = "Email;Фамилия;Имя\r\nivan@example.ru;Петров;Иван\r\n\"anna@example.ru\";\"Смирнова; Кузнецова\";Анна\r\n"
                .getBytes(Charset.forName("windows-1251"));
        TableReader.Format f = TableReader.detect(bytes, "base.csv");
        assertThat(f.encoding()).isEqualTo("windows-1251");
        assertThat(f.delimiter()).isEqualTo(";");
        assertThat(read(bytes, "base.csv")).containsExactly(List.of("Email", "Фамилия", "Имя"),
                List.of("ivan@example.ru", "Петров", "Иван"), List.of("anna@example.ru", "Смирнова; Кузнецова", "Анна"));
    }

    @Test
    void readsUtf8WithAndWithoutBomAndDetectsCommasAndTabs() throws Exception {
        byte[] withBom = ("\uFEFFemail,name\nivan@example.ru,\"Иван, старший\"\n").getBytes(StandardCharsets.UTF_8);
        assertThat(TableReader.detect(withBom, "a.csv")).isEqualTo(new TableReader.Format("csv", "UTF-8", ","));
        assertThat(read(withBom, "a.csv").get(0)).containsExactly("email", "name");
        assertThat(read(withBom, "a.csv").get(1)).containsExactly("ivan@example.ru", "Иван, старший");
        byte[] tabs = "email\tname\na@b.ru\tАнна\n".getBytes(StandardCharsets.UTF_8);
        assertThat(TableReader.detect(tabs, "a.tsv").delimiter()).isEqualTo("\t");
    }

    @Test
    void readsXlsxWithDatesAndNumbers() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Workbook wb = new Workbook(out, "test", "1.0");
        var ws = wb.newWorksheet("Лист1");
        ws.value(0, 0, "Email");
        ws.value(0, 1, "День рождения");
        ws.value(0, 2, "Места");
        ws.value(1, 0, "ivan@example.ru");
        ws.value(1, 1, java.time.LocalDate.of(1985, 4, 12));
        ws.style(1, 1).format("dd.mm.yyyy").set();
        ws.value(1, 2, 12);
        wb.finish();
        byte[] bytes = out.toByteArray();
        assertThat(TableReader.detect(bytes, "x.xlsx").format()).isEqualTo("xlsx");
        assertThat(read(bytes, "x.xlsx").get(1)).containsExactly("ivan@example.ru", "1985-04-12", "12");
    }

    @Test
    void refusesOldBinaryExcel() {
        byte[] ole2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0};
        assertThatThrownBy(() -> TableReader.detect(ole2, "old.xls")).hasMessageContaining(".xlsx");
    }
}
