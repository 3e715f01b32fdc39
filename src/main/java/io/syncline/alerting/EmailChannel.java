package io.syncline.alerting;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Alerts by e-mail through Quarkus' mailer (the SMTP server, sender and credentials of
 * {@code quarkus.mailer.*}): one plain-text message to every address. A message that cannot be
 * delivered is logged by its exception's kind only, so no address or credential reaches the log.
 */
public final class EmailChannel implements AlertChannel {

    private static final Logger LOG = Logger.getLogger(EmailChannel.class);

    private final Mailer mailer;
    private final List<String> to;

    public EmailChannel(Mailer mailer, List<String> to) {
        this.mailer = mailer;
        this.to = List.copyOf(to);
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public boolean send(AlertMessage message) {
        try {
            Mail mail = Mail.withText(to.get(0), "[Syncline] " + message.subject(), message.text());
            to.stream().skip(1).forEach(mail::addTo);
            mailer.send(mail);
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("Alert e-mail could not be delivered: %s", e.getClass().getSimpleName());
            return false;
        }
    }
}
