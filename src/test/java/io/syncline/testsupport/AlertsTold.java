package io.syncline.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the alert notifier told its two channels of the test (a Slack stub and an SMTP server with
 * two addresses to mail), by alert and status ({@code firing}, {@code resolved}).
 */
public final class AlertsTold {

    private final SlackStub slack;
    private final SmtpServer smtp;
    private final Duration bound;

    public AlertsTold(SlackStub slack, SmtpServer smtp, Duration bound) {
        this.slack = slack;
        this.smtp = smtp;
        this.bound = bound;
    }

    public List<Map<String, Object>> slackMessages(String alert, String status) {
        return slack.messages.stream().filter(m -> alert.equals(m.get("alert")) && status.equals(m.get("status"))).toList();
    }

    public long mails(String alert, String status) {
        String prefix = "[Syncline] " + status.toUpperCase(Locale.ROOT) + " " + alert;
        return smtp.subjects().stream().filter(subject -> subject.startsWith(prefix)).count();
    }

    /** Waits for the condition's message on both channels, then checks that it came once only. */
    public void awaitTold(String alert, String status) {
        await().atMost(bound).untilAsserted(() -> {
            assertThat(slackMessages(alert, status)).as("Slack %s %s", status, alert).isNotEmpty();
            assertThat(mails(alert, status)).as("e-mail %s %s", status, alert).isEqualTo(2);
        });
        assertThat(slackMessages(alert, status)).hasSize(1);
        // one message to each of the two addresses
        assertThat(mails(alert, status)).isEqualTo(2);
    }
}
