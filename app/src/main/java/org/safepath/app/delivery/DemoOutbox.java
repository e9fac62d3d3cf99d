package org.safepath.app.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

/**
 * Where the demo's alerts are delivered: a local mail catcher (GreenMail, SMTP on loopback) and a local webhook
 * receiver standing in for Teams and Slack. Each message received is written to {@code <data>/outbox/mail/*.eml}
 * and each webhook post to {@code <data>/outbox/webhooks/*.json}, to read with any editor or mail client.
 */
public final class DemoOutbox implements AutoCloseable {

    private final GreenMail mail;
    private final HttpServer webhooks;
    private final Path mailDir;
    private final Path webhookDir;
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicInteger posts = new AtomicInteger();
    private final Thread copier;
    private volatile boolean closed;

    public DemoOutbox(Path dataDir) throws IOException {
        mailDir = Files.createDirectories(dataDir.resolve("outbox/mail"));
        webhookDir = Files.createDirectories(dataDir.resolve("outbox/webhooks"));
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
        mail.start();
        webhooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String channel : new String[]{"teams", "slack"}) {
            webhooks.createContext("/" + channel, exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                // The post's number in the run keeps two posts in the same millisecond apart.
                Files.write(webhookDir.resolve(String.format("%s-%03d-%s.json", stamp(), posts.incrementAndGet(), channel)), body);
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
        }
        webhooks.start();
        copier = new Thread(this::copyMail, "safepath-demo-outbox");
        copier.setDaemon(true);
        copier.start();
    }

    private static String stamp() {
        return java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    }

    public int smtpPort() {
        return mail.getSmtp().getPort();
    }

    public String webhookUrl(String channel) {
        return "http://127.0.0.1:" + webhooks.getAddress().getPort() + "/" + channel;
    }

    public Path folder() {
        return mailDir.getParent();
    }

    private void copyMail() {
        while (!closed) {
            try {
                writeReceived();
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // a message that cannot be written now is written on the next pass
            }
        }
    }

    /**
     * Writes the messages received since the last pass. A file is named by its time and its number in the run: two
     * messages to one mailbox in the same pass (the same millisecond) are two files.
     */
    private synchronized void writeReceived() throws Exception {
        MimeMessage[] received = mail.getReceivedMessages();
        for (int i = written.get(); i < received.length; i++) {
            String to = received[i].getRecipients(Message.RecipientType.TO)[0].toString().replaceAll("[^A-Za-z0-9@.-]", "_");
            try (OutputStream out = Files.newOutputStream(mailDir.resolve(String.format("%s-%03d-%s.eml", stamp(), i + 1, to)))) {
                received[i].writeTo(out);
            }
            written.incrementAndGet();
        }
    }

    /** Messages received in this run: subject lines by mailbox, and how many webhook posts. */
    public String summary() throws Exception {
        Map<String, Integer> byMailbox = new TreeMap<>();
        StringBuilder subjects = new StringBuilder();
        for (MimeMessage m : mail.getReceivedMessages()) {
            String to = m.getRecipients(Message.RecipientType.TO)[0].toString();
            byMailbox.merge(to, 1, Integer::sum);
            subjects.append(String.format("  %-34s %s%n", to, m.getSubject()));
        }
        return String.format("Delivered in this run: %d emails, %d webhook messages (Teams/Slack); read them in %s%n%s",
                mail.getReceivedMessages().length, posts.get(), folder(), subjects).trim();
    }

    @Override
    public void close() {
        closed = true;
        copier.interrupt();
        try {
            writeReceived(); // what came in since the last pass is in the outbox too
        } catch (Exception e) {
            // the summary printed before stopping still lists every message
        }
        webhooks.stop(0);
        mail.stop();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
