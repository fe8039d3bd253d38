package io.orbita.delivery.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small SMTP server (RFC 5321 without TLS or AUTH) for loopback use: the capture server behind the embedded default
 * and the scripted relay of the tests. What to answer is the {@link Handler}'s decision, so a test can make it answer
 * 451 or 550 like a real relay. One virtual thread per connection.
 */
public final class SmtpListener implements AutoCloseable {

    /** An SMTP reply: code and text. */
    public record Reply(int code, String text) {
        public static final Reply OK = new Reply(250, "2.0.0 OK");
    }

    /** Decides the answers. Called from connection threads: must be thread-safe. */
    public interface Handler {
        default Reply recipient(String mailFrom, String rcpt) {
            return Reply.OK;
        }

        Reply data(String mailFrom, List<String> rcpts, byte[] message);
    }

    private static final Logger log = LoggerFactory.getLogger(SmtpListener.class);
    private static final int MAX_MESSAGE = 30 * 1024 * 1024;

    private final ServerSocket server;
    private final Handler handler;
    private volatile boolean closed;

    public SmtpListener(int port, Handler handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(port, 100, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("smtp-listener-" + server.getLocalPort()).start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                if (!closed) {
                    log.warn("SMTP listener on port {} failed to accept: {}", port(), e.toString());
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = socket.getOutputStream()) {
            socket.setSoTimeout(300_000);
            reply(out, 220, "localhost Orbita capture ESMTP");
            String from = null;
            List<String> rcpts = new ArrayList<>();
            String line;
            while ((line = readLine(in)) != null) {
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("EHLO")) {
                    out.write("250-localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-SIZE 31457280\r\n250 ENHANCEDSTATUSCODES\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } else if (upper.startsWith("HELO")) {
                    reply(out, 250, "localhost");
                } else if (upper.startsWith("MAIL FROM:")) {
                    from = path(line.substring(10));
                    rcpts.clear();
                    reply(out, 250, "2.1.0 OK");
                } else if (upper.startsWith("RCPT TO:")) {
                    if (from == null) {
                        reply(out, 503, "5.5.1 MAIL first");
                        continue;
                    }
                    String rcpt = path(line.substring(8));
                    Reply r = handler.recipient(from, rcpt);
                    if (r.code() / 100 == 2) {
                        rcpts.add(rcpt);
                    }
                    reply(out, r.code(), r.text());
                } else if (upper.equals("DATA")) {
                    if (rcpts.isEmpty()) {
                        reply(out, 503, "5.5.1 RCPT first");
                        continue;
                    }
                    reply(out, 354, "End data with <CR><LF>.<CR><LF>");
                    byte[] data = readData(in);
                    Reply r = data == null ? new Reply(552, "5.3.4 Message too big") : handler.data(from, List.copyOf(rcpts), data);
                    reply(out, r.code(), r.text());
                    from = null;
                    rcpts.clear();
                } else if (upper.startsWith("RSET")) {
                    from = null;
                    rcpts.clear();
                    reply(out, 250, "2.0.0 OK");
                } else if (upper.startsWith("NOOP")) {
                    reply(out, 250, "2.0.0 OK");
                } else if (upper.startsWith("QUIT")) {
                    reply(out, 221, "2.0.0 Bye");
                    return;
                } else {
                    reply(out, 502, "5.5.2 Command not implemented");
                }
            }
        } catch (IOException e) {
            // The client went away; nothing was accepted that was not answered.
        }
    }

    private static String path(String arg) {
        String a = arg.strip();
        int gt = a.indexOf('>');
        if (a.startsWith("<") && gt > 0) {
            return a.substring(1, gt);
        }
        int sp = a.indexOf(' ');
        return sp < 0 ? a : a.substring(0, sp);
    }

    private static void reply(OutputStream out, int code, String text) throws IOException {
        out.write((code + " " + text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            if (b.size() > 4096) {
                throw new IOException("line too long");
            }
            b.write(c);
        }
        return null;
    }

    /** The message up to the lone dot, dot-unstuffed; null when it exceeds the size limit (the rest is read away). */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream(8192);
        ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        boolean tooBig = false;
        int c;
        while (true) {
            line.reset();
            while ((c = in.read()) != -1 && c != '\n') {
                line.write(c);
            }
            if (c == -1) {
                throw new IOException("connection closed in DATA");
            }
            byte[] l = line.toByteArray();
            int len = l.length > 0 && l[l.length - 1] == '\r' ? l.length - 1 : l.length;
            if (len == 1 && l[0] == '.') {
                return tooBig ? null : data.toByteArray();
            }
            int start = len > 0 && l[0] == '.' ? 1 : 0;
            if (data.size() + len > MAX_MESSAGE) {
                tooBig = true;
            }
            if (!tooBig) {
                data.write(l, start, len - start);
                data.write('\r');
                data.write('\n');
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
