package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.scheduler.EcsException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PagingTest {

    @Test
    void theNextPageStartsAfterTheLastItemEvenWhenItemsCameAndWentMeanwhile() {
        // Given: a first page of two
        List<String> items = new ArrayList<>(List.of("b", "d", "f", "h"));
        Paging<String> first = Paging.of("ListThings", items, 2, null);

        // When: an item before the cursor goes, one before it and one after it come
        items.remove("b");
        items.add(0, "a");
        items.add(2, "e");
        Paging<String> second = Paging.of("ListThings", items, 2, first.nextToken());

        // Then: nothing twice, nothing skipped after the cursor
        assertThat(first.items()).containsExactly("b", "d");
        assertThat(second.items()).containsExactly("e", "f");
        assertThat(Paging.of("ListThings", items, 2, second.nextToken()).items()).containsExactly("h");
        assertThat(Paging.of("ListThings", items, 2, second.nextToken()).nextToken()).isNull();
    }

    @Test
    void aTokenIsForTheOperationThatGaveItOutAlone() {
        // Given: a token of ListClusters
        String token = Paging.of("ListClusters", List.of("a", "b", "c"), 1, null).nextToken();

        // When / Then: ListTasks refuses it, rather than answer an empty page or the first again
        assertThatThrownBy(() -> Paging.of("ListTasks", List.of("0001", "0002"), 1, token))
                .isInstanceOf(EcsException.class).hasMessageContaining("not one that ListTasks gave out");
        assertThat(Paging.of("ListClusters", List.of("a", "b", "c"), 1, token).items()).containsExactly("b");
    }

    @Test
    void theTokenIsOpaqueAndADescendingListPagesDownwards() {
        List<Integer> revisions = List.of(12, 10, 9, 2, 1);
        Function<Integer, String> key = r -> String.format("%010d", r);
        Paging<Integer> first = Paging.of("ListThings", revisions, key, true, 2, null);

        assertThat(first.nextToken()).doesNotContain("10").doesNotContain("2");
        assertThat(Paging.of("ListThings", revisions, key, true, 2, first.nextToken()).items()).containsExactly(9, 2);
        assertThatThrownBy(() -> Paging.of("ListThings", revisions, key, true, 2, "12"))
                .isInstanceOf(EcsException.class).hasMessageContaining("nextToken");
    }
}
