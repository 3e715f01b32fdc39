package io.syncline.connector.endpoint;

import io.syncline.connector.spi.SettingChecks;
import io.syncline.model.CaptureSpec;
import io.syncline.model.Environment;
import io.syncline.model.ProblemReporter;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.model.SystemTypeRules;

import static io.syncline.connector.spi.SettingChecks.variableSet;

/**
 * What start-up checks of a Camel-endpoint system: its settings ({@link EndpointSettings}), the
 * variables its {@code {env: …}} settings name, and that a system whose changes are captured names
 * the endpoint they are consumed from, and no database's or org's capture settings, and is captured
 * for one entity only; that a Kafka source's URI leaves its commit options to Syncline ({@link KafkaTopics});
 * that an S3 target is not given CSV lines; that an SFTP URI leaves the login and host-key options to
 * the system's {@code sftp:} settings ({@link SftpFolders}); that an export's {@code to} is a folder
 * whose file options are Syncline's ({@link Exports}).
 */
final class EndpointRules implements SystemTypeRules {

    static final EndpointRules RULES = new EndpointRules();

    private EndpointRules() {
    }

    @Override
    public void validate(String path, SystemDefinition system, Environment environment, ProblemReporter problems) {
        EndpointSettings settings = SettingChecks.read(path, system, EndpointSettings::of, "docs/connectors/camel-endpoints.md", problems);
        if (settings == null) {
            return;
        }
        variableSet(path + ".from", settings.from(), environment, problems);
        String from = EndpointSettings.resolve(settings.from(), environment);
        String owned = KafkaTopics.is(from) ? KafkaTopics.ownedOption(from) : null;
        if (owned != null) {
            problems.report(path + ".from", owned + " is Syncline's to set on a Kafka source: it commits a record's offset"
                    + " only after the record is stored", "remove " + owned + " from the URI");
        }
        variableSet(path + ".to", settings.to(), environment, problems);
        if (settings.rabbitmq() != null) {
            variableSet(path + ".rabbitmq.password", settings.rabbitmq().password(), environment, problems);
        }
        if (settings.aws() != null) {
            variableSet(path + ".aws.accessKey", settings.aws().accessKey(), environment, problems);
            variableSet(path + ".aws.secretKey", settings.aws().secretKey(), environment, problems);
        }
        if (settings.sftp() != null) {
            variableSet(path + ".sftp.password", settings.sftp().password(), environment, problems);
            variableSet(path + ".sftp.privateKeyPassphrase", settings.sftp().privateKeyPassphrase(), environment, problems);
        }
        String to = EndpointSettings.resolve(settings.to(), environment);
        sftp(path, ".from", from, settings, problems);
        sftp(path, ".to", to, settings, problems);
        if (AwsEndpoints.isS3(to) && settings.format() == EndpointSettings.Format.CSV) {
            problems.report(path + ".format", "an S3 target keeps each record as a JSON object of its own; CSV lines are"
                    + " written to a file", "remove format: csv, or write to a file: endpoint");
        }
        if (settings.export() != null) {
            export(path, to, settings.to() != null && !settings.to().isLiteral(), problems);
        }
    }

    /** An export writes files of its own naming into a folder: its {@code to} is a folder, the file options Syncline's. */
    private static void export(String path, String to, boolean fromEnvironment, ProblemReporter problems) {
        if (to == null) {
            if (!fromEnvironment) {
                problems.report(path + ".export", "an export writes files to the system's to folder, and it names none",
                        "write to: \"file:/data/exports\" or to: \"sftp://host:22/folder\"");
            }
            return;
        }
        if (!Exports.writable(to)) {
            problems.report(path + ".to", "an export writes a file per run into a folder, and " + EndpointSettings.scheme(to)
                    + ": is none", "write to: \"file:/data/exports\" or to: \"sftp://host:22/folder\", or remove export:");
            return;
        }
        String owned = Exports.ownedOption(to);
        if (owned != null) {
            problems.report(path + ".to", owned + " is Syncline's to set on an export's folder: each run's file is named by"
                    + " export.fileName, written aside and renamed", "remove " + owned + " from the URI");
        }
    }

    private static void sftp(String path, String key, String uri, EndpointSettings settings, ProblemReporter problems) {
        if (!SftpFolders.is(uri)) {
            return;
        }
        String login = SftpFolders.ownedOption(uri);
        if (login != null) {
            problems.report(path + key, login + " is Syncline's to set on an SFTP URI: the login and the server's host key"
                    + " come from the system's sftp settings",
                    "remove " + login + " from the URI and write sftp: {username, password: {env: …}, knownHostsFile}");
        } else if (settings.sftp() == null) {
            problems.report(path, "an SFTP folder needs a login and the server's host key",
                    "write sftp: {username, password: {env: …} or privateKeyFile, knownHostsFile}");
        }
    }

    /**
     * Only records at rest can be read whole: an S3 prefix (with the account to read it), a folder of
     * files, an export's snapshot.
     */
    @Override
    public boolean validatePull(String at, String system, SystemMapping mapping, SystemDefinition definition,
            ProblemReporter problems) {
        EndpointSettings settings;
        try {
            settings = EndpointSettings.of(system, definition);
        } catch (IllegalArgumentException e) {
            return false; // reported with the system's settings
        }
        String from = settings.from() == null || !settings.from().isLiteral() ? null : settings.from().literal();
        String to = settings.to() == null || !settings.to().isLiteral() ? null : settings.to().literal();
        boolean fromEnvironment = (settings.from() != null && !settings.from().isLiteral())
                || (settings.to() != null && !settings.to().isLiteral());
        String location = EndpointPuller.location(from, to);
        if (location == null && !fromEnvironment) {
            problems.report(at, system + " (camel-endpoint) reads a stream of messages, which cannot be read whole",
                    "reconcile or backfill from a system whose endpoint holds its records at rest: an S3 prefix (aws2-s3:)"
                            + " or a folder of files (file:, sftp:)");
            return false;
        }
        if (settings.export() != null && settings.export().contents() != EndpointSettings.Contents.ALL) {
            problems.report(at, system + " (camel-endpoint) exports the changes of each run, which are not every record",
                    "write export: {contents: all, …}: its newest file is then a snapshot, read whole");
            return false;
        }
        if (location != null && AwsEndpoints.isS3(location) && settings.aws() == null) {
            problems.report(at, system + " (camel-endpoint) names no AWS account to list its bucket with",
                    "add aws: {region, accessKey: {env: …}, secretKey: {env: …}} to the system");
            return false;
        }
        return true;
    }

    /** A system's {@code from} endpoint is one stream: the routes of two entities would compete for its messages. */
    @Override
    public boolean capturedOnce() {
        return true;
    }

    @Override
    public boolean validateCapture(String path, CaptureSpec capture, SystemMapping mapping, ProblemReporter problems) {
        if (capture.table() != null || capture.slot() != null || capture.publication() != null || capture.serverId() != null
                || capture.snapshot() != null || capture.channel() != null) {
            problems.report(path, "a Camel endpoint's capture takes no settings: its messages are consumed from the system's"
                    + " from endpoint", "write captures: {<system>: {}}");
        }
        return true;
    }
}
