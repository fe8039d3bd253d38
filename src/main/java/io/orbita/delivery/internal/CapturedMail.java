package io.orbita.delivery.internal;

import io.orbita.delivery.BounceAddress;
import io.orbita.delivery.smtp.SmtpListener;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.WorkspaceId;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The mail the local capture server received: the embedded default when no relay is configured, so that every message
 * really goes through SMTP and can be looked at, and nothing leaves the machine. Each message belongs to the workspace
 * its envelope sender (a VERP bounce address) names; mail without one is refused with 550, never dropped silently.
 */
@Service
public class CapturedMail implements SmtpListener.Handler {

    public record Summary(long id, Instant receivedAt, String mailFrom, String recipients, String subject, int size) {
    }

    public record Full(Summary summary, byte[] raw) {
    }

    private static final int KEEP = 5_000;

    private final JdbcClient jdbc;
    private final BounceAddress bounceAddress;
    private final Clock clock;

    CapturedMail(JdbcClient jdbc, BounceAddress bounceAddress, Clock clock) {
        this.jdbc = jdbc;
        this.bounceAddress = bounceAddress;
        this.clock = clock;
    }

    @Override
    public SmtpListener.Reply recipient(String mailFrom, String rcpt) {
        return bounceAddress.decode(mailFrom).isPresent() ? SmtpListener.Reply.OK
                : new SmtpListener.Reply(550, "5.7.1 capture server takes only mail sent by Orbita");
    }

    @Override
    public SmtpListener.Reply data(String mailFrom, List<String> rcpts, byte[] message) {
        var ref = bounceAddress.decode(mailFrom);
        if (ref.isEmpty()) {
            return new SmtpListener.Reply(550, "5.7.1 capture server takes only mail sent by Orbita");
        }
        String subject = null;
        try {
            subject = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message)).getSubject();
        } catch (Exception e) {
            // kept without a subject
        }
        long id = jdbc.sql("""
                insert into captured_mail (workspace_id, received_at, mail_from, recipients, subject, raw)
                values (?, ?, ?, ?, ?, ?) returning id""")
                .params(ref.get().workspace().value(), Timestamp.from(clock.instant()), mailFrom, String.join(", ", rcpts),
                        subject, message).query(Long.class).single();
        // Keep the newest few thousand per workspace: a development inbox, not an archive.
        if (id % 100 == 0) {
            jdbc.sql("""
                    delete from captured_mail where workspace_id = ? and id < (select min(id) from (select id from captured_mail
                    where workspace_id = ? order by id desc limit ?) newest)""")
                    .params(ref.get().workspace().value(), ref.get().workspace().value(), KEEP).update();
        }
        return new SmtpListener.Reply(250, "2.0.0 captured as " + id);
    }

    public List<Summary> list(WorkspaceId ws, int limit) {
        return jdbc.sql("""
                select id, received_at, mail_from, recipients, subject, octet_length(raw) from captured_mail
                where workspace_id = ? order by id desc limit ?""")
                .params(ws.value(), limit).query((rs, n) -> new Summary(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6))).list();
    }

    public Full get(WorkspaceId ws, long id) {
        return jdbc.sql("""
                select id, received_at, mail_from, recipients, subject, raw from captured_mail where workspace_id = ? and id = ?""")
                .params(ws.value(), id).query((rs, n) -> new Full(new Summary(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getBytes(6).length), rs.getBytes(6)))
                .optional().orElseThrow(() -> new NotFoundException("captured message", id));
    }
}
