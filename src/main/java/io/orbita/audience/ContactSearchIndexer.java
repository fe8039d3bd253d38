package io.orbita.audience;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps {@code contact_search} (the trigram-indexed text behind the contacts list search) up to date from
 * {@code contact_search_queue}, in chunks, off the path that writes contacts. Searches stay correct meanwhile: queued
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
        while (indexChunk() == chunk) {
            // a full chunk: there is more
        }
    }

    /** Indexes up to one chunk of queued contacts in one transaction; returns how many queue entries it took. */
    int indexChunk() {
        Integer taken = tx.execute(s -> {
            // Two statements on purpose: the second reads the contacts with a snapshot taken after the entries were
            // claimed, so a change committed before the claim is seen, and one committed after it re-queues the contact.
            Long[][] claimed = jdbc.sql("""
                            with next as (
                                select q.workspace_id, q.contact_id from contact_search_queue q
                                where not exists (select 1 from import_job j
                                                  where j.workspace_id = q.workspace_id and j.status = 'running'
                                                    and j.kind = 'contacts' and j.locked_until > ?)
                                order by q.workspace_id, q.contact_id limit ? for update of q skip locked),
                            gone as (
                                delete from contact_search_queue q using next
                                where q.workspace_id = next.workspace_id and q.contact_id = next.contact_id
                                returning q.workspace_id, q.contact_id)
                            select coalesce(array_agg(workspace_id), '{}'), coalesce(array_agg(contact_id), '{}') from gone""")
                    // A lease that ran out belongs to a node that died: its import no longer holds the indexer back.
                    .params(java.sql.Timestamp.from(clock.instant()), chunk)
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

    /** How many contacts of the workspace still wait to be indexed. */
    long backlog(io.orbita.platform.WorkspaceId ws) {
        return jdbc.sql("select count(*) from contact_search_queue where workspace_id = ?").param(ws.value())
                .query(Long.class).single();
    }
}
