package io.orbita.delivery.inbound;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The built-in SMTP listener for the bounce domain: receive-only, no relaying, no authentication (remote MTAs deliver
 * bounces, complaints and replies to it as to any MX). Each accepted message goes to the {@link InboundProcessor}.
 * Limits: message size ({@code orbita.inbound.max-message-bytes}, larger ones are refused with 552), 100 recipients,
 * 64 concurrent connections, a minute of silence per command. Port 0 = off; -1 = any free port (tests).
 */
@Component
class SmtpListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SmtpListener.class);
    private static final int MAX_RECIPIENTS = 100;
    private static final int MAX_CONNECTIONS = 64;
    private static final int MAX_LINE = 4096;
    private static final int TIMEOUT_MS = 60_000;
    private static final Pattern PATH = Pattern.compile("(?i)^(MAIL FROM|RCPT TO):\\s*<([^>]*)>.*$");

    private final InboundProcessor processor;
    private final InboundProperties properties;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private volatile ServerSocket server;
    private volatile ExecutorService workers;

    SmtpListener(InboundProcessor processor, InboundProperties properties) {
        this.processor = processor;
        this.properties = properties;
    }

    /** The port it listens on, or 0 when off. */
    int port() {
        ServerSocket s = server;
        return s == null ? 0 : s.getLocalPort();
    }

    @Override
    public synchronized void start() {
        int configured = properties.smtpPort();
        if (configured == 0 || server != null) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(properties.smtpBind()), Math.max(0, configured)), 50);
            server = s;
            workers = Executors.newVirtualThreadPerTaskExecutor();
            Thread.ofVirtual().name("inbound-smtp-accept").start(this::acceptLoop);
            log.info("Inbound SMTP listener on {}:{}", properties.smtpBind(), s.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen for inbound SMTP on port " + configured, e);
        }
    }

    @Override
    public synchronized void stop() {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (workers != null) {
            workers.shutdownNow();
            workers = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    private void acceptLoop() {
        ServerSocket s = server;
        while (s != null && !s.isClosed()) {
            try {
                Socket socket = s.accept();
                if (!slots.tryAcquire()) {
                    reply(socket.getOutputStream(), "421 4.3.2 Too many connections, try later");
                    socket.close();
                    continue;
                }
                workers.execute(() -> {
                    try (socket) {
                        session(socket);
                    } catch (IOException e) {
                        log.debug("Inbound SMTP session ended: {}", e.getMessage());
                    } finally {
                        slots.release();
                    }
                });
            } catch (SocketException e) {
                return; // closed by stop()
            } catch (IOException | RuntimeException e) {
                log.warn("Inbound SMTP accept failed: {}", e.getMessage());
            }
        }
    }

    private void session(Socket socket) throws IOException {
        socket.setSoTimeout(TIMEOUT_MS);
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        reply(out, "220 orbita ESMTP ready");
        String from = null;
        List<String> to = new ArrayList<>();
        while (true) {
            String line = readLine(in);
            if (line == null) {
                return;
            }
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("EHLO")) {
                from = null;
                to.clear();
                reply(out, "250-orbita\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-PIPELINING\r\n250 SIZE " + properties.maxMessageBytes());
            } else if (upper.startsWith("HELO")) {
                from = null;
                to.clear();
                reply(out, "250 orbita");
            } else if (upper.startsWith("MAIL FROM:")) {
                Matcher m = PATH.matcher(line);
                if (!m.matches()) {
                    reply(out, "501 5.5.4 Syntax: MAIL FROM:<address>");
                } else if (sizeParameter(line) > properties.maxMessageBytes()) {
                    reply(out, "552 5.3.4 Message too big");
                } else {
                    from = m.group(2);
                    to.clear();
                    reply(out, "250 2.1.0 OK");
                }
            } else if (upper.startsWith("RCPT TO:")) {
                Matcher m = PATH.matcher(line);
                if (from == null) {
                    reply(out, "503 5.5.1 MAIL first");
                } else if (!m.matches() || m.group(2).isBlank()) {
                    reply(out, "501 5.5.4 Syntax: RCPT TO:<address>");
                } else if (to.size() >= MAX_RECIPIENTS) {
                    reply(out, "452 4.5.3 Too many recipients");
                } else {
                    to.add(m.group(2));
                    reply(out, "250 2.1.5 OK");
                }
            } else if (upper.equals("DATA")) {
                if (from == null || to.isEmpty()) {
                    reply(out, "503 5.5.1 RCPT first");
                    continue;
                }
                reply(out, "354 End data with <CR><LF>.<CR><LF>");
                byte[] data = readData(in);
                if (data == null) {
                    reply(out, "552 5.3.4 Message too big");
                } else {
                    reply(out, deliver(data, from, List.copyOf(to)));
                }
                from = null;
                to.clear();
            } else if (upper.equals("RSET")) {
                from = null;
                to.clear();
                reply(out, "250 2.0.0 OK");
            } else if (upper.startsWith("NOOP")) {
                reply(out, "250 2.0.0 OK");
            } else if (upper.equals("QUIT")) {
                reply(out, "221 2.0.0 Bye");
                return;
            } else if (upper.startsWith("VRFY") || upper.startsWith("EXPN")) {
                reply(out, "252 2.5.2 Cannot verify");
            } else {
                reply(out, "502 5.5.2 Command not implemented");
            }
        }
    }

    private String deliver(byte[] data, String from, List<String> to) {
        try {
            processor.process(data, "smtp", from, to);
            return "250 2.0.0 Accepted";
        } catch (NotMailException e) {
            return "554 5.6.0 Not a mail message";
        } catch (RuntimeException e) {
            // the database or something else of ours is down: the sender keeps the message and retries
            log.warn("Inbound SMTP message could not be processed: {}", e.toString());
            return "451 4.3.0 Temporary failure, try again later";
        }
    }

    private long sizeParameter(String line) {
        Matcher m = Pattern.compile("(?i)\\sSIZE=(\\d{1,12})").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The message up to the lone dot, dot-unstuffed; null when it was larger than allowed (the rest is read and dropped). */
    private byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean tooBig = false;
        while (true) {
            byte[] line = readRawLine(in);
            if (line == null) {
                throw new IOException("connection closed during DATA");
            }
            int len = line.length;
            if (len == 1 && line[0] == '.') {
                break;
            }
            int start = len > 0 && line[0] == '.' ? 1 : 0;
            if (!tooBig) {
                if (out.size() + len + 2 > properties.maxMessageBytes()) {
                    tooBig = true;
                    out.reset();
                } else {
                    out.write(line, start, len - start);
                    out.write('\r');
                    out.write('\n');
                }
            }
        }
        return tooBig ? null : out.toByteArray();
    }

    /** One line without its CRLF (or bare LF); lines longer than allowed are cut, not buffered. */
    private static byte[] readRawLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                return b.length > 0 && b[b.length - 1] == '\r' ? java.util.Arrays.copyOf(b, b.length - 1) : b;
            }
            if (line.size() < 1_000_000) {
                line.write(c);
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static String readLine(InputStream in) throws IOException {
        byte[] b = readRawLine(in);
        if (b == null) {
            return null;
        }
        String s = new String(b, 0, Math.min(b.length, MAX_LINE), StandardCharsets.UTF_8);
        return s.strip();
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
