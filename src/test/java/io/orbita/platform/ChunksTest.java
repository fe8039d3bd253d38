package io.orbita.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunksTest {

    @Test
    void cutsInOrderWithAShorterLastChunkAndKeepsNoLinkToTheSource() {
        List<Integer> source = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7));
        List<List<Integer>> chunks = Chunks.of(source, 3);
        source.clear();
        assertThat(chunks).containsExactly(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7));
        assertThat(Chunks.of(List.of(1, 2), 2)).containsExactly(List.of(1, 2));
        assertThat(Chunks.of(List.of(), 5)).isEmpty();
        assertThatThrownBy(() -> Chunks.of(List.of(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
