package io.orbita.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PageTest {

    @Test
    void aShortFetchIsTheLastPage() {
        Page<Long> page = Page.of(List.of(9L, 8L), 2, Long::longValue);

        assertThat(page.items()).containsExactly(9L, 8L);
        assertThat(page.nextCursor()).isNull();
    }

    /** The query asks for limit + 1 rows; the extra one is dropped and the cursor points after the last one shown. */
    @Test
    void theExtraRowOnlySignalsAnotherPage() {
        Page<Long> page = Page.of(List.of(9L, 8L, 7L), 2, Long::longValue);

        assertThat(page.items()).containsExactly(9L, 8L);
        assertThat(Cursor.decode(page.nextCursor())).isEqualTo(8L);
    }

    @Test
    void mapKeepsTheCursor() {
        Page<String> page = Page.of(List.of(9L, 8L, 7L), 2, Long::longValue).map(id -> "#" + id);

        assertThat(page.items()).containsExactly("#9", "#8");
        assertThat(page.nextCursor()).isEqualTo(Cursor.encode(8L));
    }
}
