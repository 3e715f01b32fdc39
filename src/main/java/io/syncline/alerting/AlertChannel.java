package io.syncline.alerting;

/** Where the alert notifier sends its messages: Slack, e-mail. One instance per configured destination. */
public interface AlertChannel {

    /** The channel's name for logs (never its address or credentials). */
    String name();

    /** @return whether the destination took the message; a failure is logged by the channel, never thrown */
    boolean send(AlertMessage message);
}
