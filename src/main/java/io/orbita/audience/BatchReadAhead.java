package io.orbita.audience;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads an import file one batch ahead of the batch being applied, on a thread of its own: parsing the file, mapping
 * the cells and the target's {@link ImportTarget#prepare preparation} (address checks for contacts) overlap the
 * database work of the batch before. The applying thread sees the batches in file order, each with the position it
 * starts at, exactly as if it had read them itself.
 */
final class BatchReadAhead implements AutoCloseable {

    /** One batch and where it sits in the file: data rows read before it, rows it covers, blank rows among them. */
    record Next(ImportTarget.Batch batch, long rowsBefore, int read, int empty) {
    }

    /** What the reading thread hands over: a batch, the end of the file, or what stopped it. */
    private sealed interface Item permits Batch, End, Failure {
    }

    private record Batch(Next next) implements Item {
    }

    private record End() implements Item {
    }

    private record Failure(Exception cause) implements Item {
    }

    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(1);
    private final Thread thread;
    /** Set by close(). Not an interrupt: the thread may be reading the file from the database, and an interrupted
     *  virtual thread's socket is closed under it. */
    private volatile boolean stopped;

    /**
     * Starts reading at the reader's current position, which is data row {@code rowsBefore + 1} (row {@code rowsBefore
     * + 2} of the file, after the header).
     */
    BatchReadAhead(TableReader reader, Map<Integer, String> mapping, ImportTarget target, String sourceLabel,
                   List<String> tags, long rowsBefore, int batchSize) {
        this.thread = Thread.ofVirtual().name("import-read-ahead").start(() -> {
            try {
                long before = rowsBefore;
                while (!stopped && reader.hasNext()) {
                    List<ImportTarget.Row> rows = new ArrayList<>(batchSize);
                    int read = 0;
                    int empty = 0;
                    while (reader.hasNext() && read < batchSize) {
                        List<String> cells = reader.next();
                        read++;
                        Map<String, String> values = new LinkedHashMap<>();
                        mapping.forEach((index, field) -> {
                            if (index < cells.size() && cells.get(index) != null && !cells.get(index).isBlank()) {
                                values.put(field, cells.get(index).strip());
                            }
                        });
                        if (values.isEmpty()) {
                            empty++;
                        } else {
                            // Row numbers count the header as row 1.
                            rows.add(new ImportTarget.Row(before + read + 1, values));
                        }
                    }
                    ImportTarget.Batch batch = target.prepare(new ImportTarget.Batch(rows, sourceLabel, tags));
                    queue.put(new Batch(new Next(batch, before, read, empty)));
                    before += read;
                }
                queue.put(new End());
            } catch (Exception e) {
                try {
                    queue.put(new Failure(e));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    /** The next batch in file order, or null at the end of the file; a failure to read or prepare is thrown here. */
    Next next() throws Exception {
        Item item = queue.take();
        return switch (item) {
            case Batch b -> b.next();
            case End e -> null;
            case Failure f -> throw f.cause();
        };
    }

    /** Stops the reading thread and waits for it, so the file can be closed under it safely. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        // A batch nobody will take may be waiting for room in the queue: make room until the thread has seen the flag.
        do {
            queue.clear();
        } while (!thread.join(java.time.Duration.ofMillis(20)));
    }
}
