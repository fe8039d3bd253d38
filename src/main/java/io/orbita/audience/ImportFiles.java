package io.orbita.audience;

import io.orbita.platform.WorkspaceId;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Uploaded import files, kept in PostgreSQL in chunks so any node can read them and none needs a shared disk. Reading
 * streams a few chunks at a time: memory stays flat however large the file.
 *
 * <p>A chunk is 128 KB because of the garbage collector: G1 puts an array of half a region or more (512 KB at the heap
 * sizes Orbita runs with) straight into the old generation, and each such allocation may start a concurrent marking of
 * the whole heap. With 4 MB chunks (8 MB as the driver receives them) a million-row import ran two dozen of those
 * cycles, about two seconds of a core.
 */
@Component
class ImportFiles {

    static final int CHUNK = 128 * 1024;
    /** Chunks fetched per query while reading. */
    private static final int READ_AHEAD = 8;

    private final JdbcClient jdbc;

    ImportFiles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the stream; returns its size in bytes. */
    long store(WorkspaceId ws, long importId, InputStream in) throws IOException {
        long total = 0;
        int chunkNo = 0;
        while (true) {
            byte[] chunk = in.readNBytes(CHUNK);
            if (chunk.length == 0) {
                return total;
            }
            jdbc.sql("insert into import_file (workspace_id, import_id, chunk_no, data) values (?, ?, ?, ?)")
                    .params(ws.value(), importId, chunkNo++, chunk).update();
            total += chunk.length;
        }
    }

    InputStream open(WorkspaceId ws, long importId) {
        return new InputStream() {
            private final java.util.ArrayDeque<byte[]> fetched = new java.util.ArrayDeque<>();
            private byte[] current = new byte[0];
            private int pos;
            private int next;

            @Override
            public int read() throws IOException {
                if (!fill()) {
                    return -1;
                }
                return current[pos++] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }

            private boolean fill() {
                while (pos >= current.length) {
                    if (fetched.isEmpty()) {
                        fetched.addAll(jdbc.sql("""
                                        select data from import_file where workspace_id = ? and import_id = ? and chunk_no >= ?
                                        order by chunk_no limit ?""")
                                .params(ws.value(), importId, next, READ_AHEAD).query(byte[].class).list());
                        next += fetched.size();
                        if (fetched.isEmpty()) {
                            return false;
                        }
                    }
                    current = fetched.poll();
                    pos = 0;
                }
                return true;
            }
        };
    }

    void delete(WorkspaceId ws, long importId) {
        jdbc.sql("delete from import_file where workspace_id = ? and import_id = ?").params(ws.value(), importId).update();
    }
}
