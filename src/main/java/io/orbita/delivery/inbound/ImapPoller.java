package io.orbita.delivery.inbound;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.FlagTerm;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Polls one IMAP mailbox (where a provider's feedback loop or a catch-all bounce mailbox delivers) and hands every
 * unseen message to the {@link InboundProcessor}. Processed messages are moved to the processed folder when one is
 * set, otherwise flagged seen and deleted. On several nodes only one polls at a time (a PostgreSQL advisory lock).
 */
public class ImapPoller {

    private static final Logger log = LoggerFactory.getLogger(ImapPoller.class);
    private static final long LOCK_KEY = 0x6f72626974614951L; // "orbitaIQ"
    private static final int MAX_PER_POLL = 200;

    private final InboundProperties.Imap config;
    private final InboundProcessor processor;
    private final JdbcClient jdbc;
    private final TransactionTemplate lockTx;
    private final TransactionTemplate messageTx;
    private final int maxBytes;

    public ImapPoller(InboundProperties.Imap config, int maxBytes, InboundProcessor processor, JdbcClient jdbc,
                      PlatformTransactionManager tx) {
        this.config = config;
        this.maxBytes = maxBytes;
        this.processor = processor;
        this.jdbc = jdbc;
        this.lockTx = new TransactionTemplate(tx);
        this.messageTx = new TransactionTemplate(tx);
        this.messageTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** One poll; returns how many messages were processed (0 when another node holds the lock). */
    public int poll() {
        Integer n = lockTx.execute(status -> {
            Boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(?)").param(LOCK_KEY).query(Boolean.class).single();
            return Boolean.TRUE.equals(locked) ? pollLocked() : 0;
        });
        return n == null ? 0 : n;
    }

    private int pollLocked() {
        Properties props = new Properties();
        String protocol = config.ssl() ? "imaps" : "imap";
        props.put("mail.store.protocol", protocol);
        props.put("mail." + protocol + ".connectiontimeout", "10000");
        props.put("mail." + protocol + ".timeout", "30000");
        if (!config.ssl()) {
            props.put("mail.imap.starttls.enable", "true");
        }
        Session session = Session.getInstance(props);
        int processed = 0;
        try (Store store = session.getStore(protocol)) {
            store.connect(config.host(), config.port(), config.user(), config.password());
            Folder folder = store.getFolder(config.folder());
            folder.open(Folder.READ_WRITE);
            Folder target = null;
            if (config.processedFolder() != null && !config.processedFolder().isBlank()) {
                target = store.getFolder(config.processedFolder());
                if (!target.exists()) {
                    target.create(Folder.HOLDS_MESSAGES);
                }
            }
            try {
                Message[] unseen = folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
                for (int i = 0; i < unseen.length && i < MAX_PER_POLL; i++) {
                    Message m = unseen[i];
                    Handled h = handle(m);
                    if (h == Handled.RETRY) {
                        continue; // left unseen in the mailbox for the next poll
                    }
                    if (h == Handled.DONE) {
                        processed++;
                    }
                    if (target != null) {
                        folder.copyMessages(new Message[] {m}, target);
                    }
                    m.setFlag(Flags.Flag.SEEN, true);
                    m.setFlag(Flags.Flag.DELETED, true);
                }
            } finally {
                folder.close(true);
            }
        } catch (MessagingException e) {
            log.warn("IMAP poll of {} failed: {}", config, e.getMessage());
        }
        return processed;
    }

    private enum Handled { DONE, DROP, RETRY }

    private Handled handle(Message m) {
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            if (m.getSize() > maxBytes * 4L) {
                log.warn("IMAP message of {} bytes dropped: too large", m.getSize());
                return Handled.DROP;
            }
            m.writeTo(raw);
            messageTx.executeWithoutResult(s -> processor.process(raw.toByteArray(), "imap", null, List.of()));
            return Handled.DONE;
        } catch (NotMailException e) {
            log.info("IMAP message is not mail, dropped: {}", e.getMessage());
            return Handled.DROP;
        } catch (Exception e) {
            // the database or the mailbox failed us: keep the message for the next poll
            log.warn("IMAP message could not be processed, will retry: {}", e.toString());
            return Handled.RETRY;
        }
    }
}
