package io.orbita.tracking;

import io.orbita.platform.WorkspaceId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which kinds of mailing each contact has dropped in the preference centre. Campaigns ask before sending; service
 * letters are always allowed. This is on top of the contact's consent: an unsubscribed contact gets no marketing
 * letter whatever its preferences say.
 */
@Service
public class Preferences {

    private final JdbcClient jdbc;
    private final Clock clock;

    Preferences(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * @param kind news, content, event, promo or service
     * @throws IllegalArgumentException for any other kind
     */
    public boolean allows(WorkspaceId ws, long contactId, String kind) {
        MailingKind k = kind(kind);
        return k == null || jdbc.sql("select count(*) = 0 from mailing_opt_out where workspace_id = ? and contact_id = ? and kind = ?")
                .params(ws.value(), contactId, k.code()).query(Boolean.class).single();
    }

    /** Which of these contacts dropped this kind (empty for service letters): one query for a whole batch. */
    public Set<Long> optedOut(WorkspaceId ws, Collection<Long> contactIds, String kind) {
        MailingKind k = kind(kind);
        if (k == null || contactIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("""
                        select contact_id from mailing_opt_out
                        where workspace_id = ? and kind = ? and contact_id = any(cast(? as bigint[]))""")
                .params(ws.value(), k.code(), contactIds.toArray(Long[]::new)).query(Long.class).list());
    }

    /** The kinds this contact dropped. */
    public Set<MailingKind> dropped(WorkspaceId ws, long contactId) {
        Set<MailingKind> out = EnumSet.noneOf(MailingKind.class);
        jdbc.sql("select kind from mailing_opt_out where workspace_id = ? and contact_id = ?")
                .params(ws.value(), contactId).query(String.class).list()
                .forEach(code -> out.add(MailingKind.fromCode(code)));
        return out;
    }

    /** Replaces the contact's choice: exactly {@code dropped} are opted out afterwards. */
    @Transactional
    public void choose(WorkspaceId ws, long contactId, Set<MailingKind> dropped, Long messageId) {
        String[] codes = dropped.stream().map(MailingKind::code).toArray(String[]::new);
        jdbc.sql("delete from mailing_opt_out where workspace_id = ? and contact_id = ? and kind <> all(cast(? as text[]))")
                .params(ws.value(), contactId, codes).update();
        jdbc.sql("""
                        insert into mailing_opt_out (workspace_id, contact_id, kind, at, message_id)
                        select ?, ?, k, ?, ? from unnest(cast(? as text[])) as k
                        on conflict (workspace_id, contact_id, kind) do nothing""")
                .params(ws.value(), contactId, Timestamp.from(clock.instant()), messageId, codes).update();
    }

    private static MailingKind kind(String code) {
        if (code != null && MailingKind.SERVICE.equalsIgnoreCase(code.strip())) {
            return null;
        }
        MailingKind k = MailingKind.fromCode(code);
        if (k == null) {
            throw new IllegalArgumentException("unknown mailing kind '" + code + "': use service, news, content, event or promo");
        }
        return k;
    }
}
