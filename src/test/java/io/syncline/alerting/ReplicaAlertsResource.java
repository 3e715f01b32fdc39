package io.syncline.alerting;

import java.util.HashMap;
import java.util.Map;

/**
 * The channels and settings of {@link AlertChannelsResource} with no channel configured: the
 * application's own notifier is off, so that a test alone drives the evaluations of the replicas'
 * notifiers it makes, each telling the Slack stub and the SMTP server.
 */
public class ReplicaAlertsResource extends AlertChannelsResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> settings = new HashMap<>(super.start());
        settings.remove("syncline.alerts.slack-url");
        settings.remove("syncline.alerts.email-to");
        return settings;
    }
}
