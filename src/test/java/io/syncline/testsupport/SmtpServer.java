package io.syncline.testsupport;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.util.ArrayList;
import java.util.List;

/** A real SMTP server (GreenMail) on a free loopback port, keeping every message it takes. */
public final class SmtpServer implements AutoCloseable {

    private final GreenMail server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

    public SmtpServer() {
        server.start();
    }

    public int port() {
        return server.getSmtp().getPort();
    }

    /** The subjects of the messages received so far, in order. */
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        for (MimeMessage message : server.getReceivedMessages()) {
            try {
                subjects.add(message.getSubject());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return subjects;
    }

    @Override
    public void close() {
        server.stop();
    }
}
