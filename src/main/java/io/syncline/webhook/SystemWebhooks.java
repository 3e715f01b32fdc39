package io.syncline.webhook;

import java.util.Optional;

/**
 * The webhook settings of the model's systems, by system name, as each one's type reads them
 * (the connectors provide it): empty for a system that declares none, whose requests are unsigned,
 * carry one event each and are answered 202.
 */
public interface SystemWebhooks {

    Optional<SystemWebhook> webhook(String system);
}
