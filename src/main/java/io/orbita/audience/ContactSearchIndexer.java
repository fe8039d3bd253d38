package io.orbita.audience;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps {@code contact_search} (the trigram-indexed text behind the contacts list search) up to date, in chunks, off
 * the path that writes contacts: new contacts come as id ranges ({@code contact_search_range}, one row per inserting
 * statement), renamed ones one by one ({@code contact_search_queue}). Searches stay correct meanwhile: waiting
 * contacts are matched against their own rows (see {@link ContactStore#list}).
 *
 * <p>While a contact import runs in a workspace, the indexer leaves that workspace's contacts for later: the import and
 * the GIN upkeep would share the same cores, and indexing the whole import in large chunks afterwards costs less than
 * interleaving. Any node may run it; chunks are claimed with {@code SKIP LOCKED}.
 */
@Component
class ContactSearchIndexer {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final java.time.Clock clock;
    private final int chunk;

    ContactSearchIndexer(JdbcClient jdbc, TransactionTemplate tx, java.time.Clock clock,
                         @Value("${orbita.contacts.search-chunk:20000}") int chunk) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.chunk = chunk;
    }

    @Scheduled(fixedDelayString = "${orbita.contacts.search-poll:1s}")
    void poll() {
        while (indexQueued() == chunk) {
            // a full chunk: there is more
        }
        while (indexRange()) {
            // one piece of a range done: there may be more
        }
    }

    /** Indexes up to one chunk of renamed contacts in one transaction; returns how many queue entries it took. */
    int indexQueued() {
        Integer taken = tx.execute(s -> {
            // Two statements on purpose: the second reads the contacts with a snapshot taken after the entries were
            // claimed, so a change committed before the claim is seen, and one committed after it re-queues the contact.
            Long[][] claimed = jdbc.sql("""
                            with next as (
                                select q.workspace_id, q.contact_id from contact_search_queue q
                                where q.workspace_id <> all(cast(? as bigint[]))
                                order by q.workspace_id, q.contact_id limit ? for update of q skip locked),
                            gone as (
                                delete from contact_search_queue q using next
                                where q.workspace_id = next.workspace_id and q.contact_id = next.contact_id
                                returning q.workspace_id, q.contact_id)
                            select coalesce(array_agg(workspace_id), '{}'), coalesce(array_agg(contact_id), '{}') from gone""")
                    .params(importing(), chunk)
                    .query((rs, n) -> new Long[][] {(Long[]) rs.getArray(1).getArray(), (Long[]) rs.getArray(2).getArray()})
                    .single();
            if (claimed[0].length == 0) {
                return 0;
            }
            jdbc.sql("""
                            insert into contact_search (workspace_id, contact_id, doc)
                            select c.workspace_id, c.id, contact_search_doc(c.email, c.first_name, c.last_name, c.middle_name)
                            from unnest(cast(? as bigint[]), cast(? as bigint[])) as q(workspace_id, contact_id)
                            join contact c on c.workspace_id = q.workspace_id and c.id = q.contact_id
                            on conflict (workspace_id, contact_id) do update set doc = excluded.doc""")
                    .params(claimed[0], claimed[1])
                    .update();
            return claimed[0].length;
        });
        return taken == null ? 0 : taken;
    }

    /**
     * Indexes the contacts of up to {@code chunk} ids from the start of one range of new contacts, in one transaction,
     * and takes those ids off the range; returns whether it found a range to work on.
     */
    boolean indexRange() {
        Boolean worked = tx.execute(s -> {
            record Range(long workspaceId, long id, long fromId, long toId) {
            }
            Range r = jdbc.sql("""
                            select r.workspace_id, r.id, r.from_id, r.to_id from contact_search_range r
                            where r.workspace_id <> all(cast(? as bigint[]))
                            order by r.workspace_id, r.id limit 1 for update of r skip locked""")
                    .param(importing())
                    .query((rs, n) -> new Range(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                    .optional().orElse(null);
            if (r == null) {
                return false;
            }
            long upTo = Math.min(r.toId(), r.fromId() + chunk - 1);
            // The range's contacts committed with the range row, so this statement's snapshot sees all of them; a
            // contact renamed since is indexed with its new name here and once more from the queue, which is harmless.
            jdbc.sql("""
                            insert into contact_search (workspace_id, contact_id, doc)
                            select c.workspace_id, c.id, contact_search_doc(c.email, c.first_name, c.last_name, c.middle_name)
                            from contact c where c.workspace_id = ? and c.id between ? and ?
                            on conflict (workspace_id, contact_id) do update set doc = excluded.doc""")
                    .params(r.workspaceId(), r.fromId(), upTo)
                    .update();
            if (upTo == r.toId()) {
                jdbc.sql("delete from contact_search_range where workspace_id = ? and id = ?").params(r.workspaceId(), r.id()).update();
            } else {
                jdbc.sql("update contact_search_range set from_id = ? where workspace_id = ? and id = ?")
                        .params(upTo + 1, r.workspaceId(), r.id()).update();
            }
            return true;
        });
        return Boolean.TRUE.equals(worked);
    }

    /**
     * The workspaces whose contact import is running now: their contacts wait. A lease that ran out belongs to a node
     * that died, and its import no longer holds the indexer back.
     */
    private Long[] importing() {
        return jdbc.sql("select distinct workspace_id from import_job where status = 'running' and kind = 'contacts' and locked_until > ?")
                .param(java.sql.Timestamp.from(clock.instant())).query(Long.class).list().toArray(Long[]::new);
    }

    /** How many contacts of the workspace still wait to be indexed. */
    long backlog(io.orbita.platform.WorkspaceId ws) {
        return jdbc.sql("""
                        select (select count(*) from contact_search_queue where workspace_id = :ws)
                             + (select count(*) from contact_search_range r join contact c
                                on c.workspace_id = r.workspace_id and c.id between r.from_id and r.to_id
                                where r.workspace_id = :ws)""")
                .param("ws", ws.value())
                .query(Long.class).single();
    }
}
