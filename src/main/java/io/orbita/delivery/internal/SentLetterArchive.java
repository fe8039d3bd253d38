package io.orbita.delivery.internal;

import io.orbita.platform.WorkspaceId;
import io.orbita.tracking.SentLetters;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.Optional;
import java.util.Properties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The web version's source: the HTML part of the exact bytes a message was sent with (kept gzip-compressed). */
@Component
class SentLetterArchive implements SentLetters {

    private static final Session SESSION = Session.getInstance(new Properties());

    private final JdbcClient jdbc;

    SentLetterArchive(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<String> html(WorkspaceId ws, long messageId) {
        return jdbc.sql("select raw_gz from outbox_message where workspace_id = ? and id = ? and raw_gz is not null")
                .params(ws.value(), messageId).query(byte[].class).optional()
                .flatMap(gz -> {
                    try {
                        return Optional.ofNullable(html(new MimeMessage(SESSION, new ByteArrayInputStream(OutboxStore.gunzip(gz)))));
                    } catch (Exception e) {
                        return Optional.empty();
                    }
                });
    }

    private static String html(Part p) throws Exception {
        if (p.isMimeType("text/html")) {
            return (String) p.getContent();
        }
        if (p.isMimeType("multipart/*") && p.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                String h = html(mp.getBodyPart(i));
                if (h != null) {
                    return h;
                }
            }
        }
        return null;
    }
}
