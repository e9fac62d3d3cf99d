package org.safepath.app.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Properties;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Email over SMTP with Jakarta Mail (Eclipse Angus): plain, STARTTLS (required) or TLS on connect, with optional
 * authentication. Each message's {@code Message-ID} is derived from the alert and the mailbox, so a message sent
 * again after a crash is recognisably the same message (mail clients and gateways that de-duplicate on it show one).
 */
public final class EmailChannel implements Channel {

    /** How the connection is secured. */
    public enum Security { NONE, STARTTLS, TLS }

    private final Session session;
    private final String from;

    public EmailChannel(String host, int port, Security security, String username, String password, String from) {
        Properties p = new Properties();
        p.put("mail.transport.protocol", security == Security.TLS ? "smtps" : "smtp");
        String prefix = security == Security.TLS ? "mail.smtps." : "mail.smtp.";
        p.put(prefix + "host", host);
        p.put(prefix + "port", Integer.toString(port));
        p.put(prefix + "connectiontimeout", "10000");
        p.put(prefix + "timeout", "20000");
        p.put(prefix + "writetimeout", "20000");
        if (security == Security.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (security != Security.NONE) {
            p.put(prefix + "ssl.checkserveridentity", "true");
        }
        Authenticator auth = null;
        if (username != null) {
            p.put(prefix + "auth", "true");
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(username, password);
                }
            };
        }
        this.session = Session.getInstance(p, auth);
        this.from = from;
    }

    @Override
    public String name() {
        return "email";
    }

    /** {@code <alert id>.<hash of the mailbox>@safepath.invalid}: the same for the same alert and mailbox, every time. */
    static String messageId(String alertId, String mailbox) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(mailbox.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return "<" + alertId + "." + HexFormat.of().formatHex(h, 0, 6) + "@safepath.invalid>";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void send(AlertMessage m, Route route) throws Exception {
        String id = messageId(m.alertId(), route.address());
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", id);
            }
        };
        message.setFrom(new InternetAddress(from));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(route.address()));
        message.setSubject("[SafePath " + m.severity().toLowerCase(java.util.Locale.ROOT) + "] " + m.subject(), "UTF-8");
        message.setText(m.text(), "UTF-8");
        message.setHeader("X-SafePath-Alert", m.alertId());
        Transport.send(message);
    }
}
