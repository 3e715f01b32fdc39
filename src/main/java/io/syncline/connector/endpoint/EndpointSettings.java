package io.syncline.connector.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.model.Environment;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;

import java.util.Locale;
import java.util.Map;

/**
 * A {@code type: camel-endpoint} system's own settings (docs/connectors/camel-endpoints.md): the
 * Camel endpoint its changes are consumed from ({@code from}), the one records are written to
 * ({@code to}), each a URI or {@code {env: …}}; what a message is ({@code format}: one JSON object,
 * or a CSV file whose rows are records); the header that carries a message's id, where the
 * component does not say it itself; a RabbitMQ broker's connection, an AWS account, an SFTP login;
 * and, for a folder written as one file per run, its export.
 */
record EndpointSettings(SecretRef from, SecretRef to, Format format, String messageId, RabbitConnection rabbitmq,
        AwsConnection aws, SftpLogin sftp, Export export) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String RABBITMQ_SCHEME = "spring-rabbitmq";
    /** The header Camel's Spring RabbitMQ component puts a message's AMQP {@code message-id} in. */
    static final String RABBITMQ_MESSAGE_ID = "CamelSpringRabbitmqMessageId";

    /** What one message of the endpoint is. */
    enum Format {
        /** One JSON object, the record. */
        JSON,
        /** A CSV file with a header row: each further row a record, read by Camel's CSV data format. */
        CSV
    }

    /**
     * A RabbitMQ broker, for {@code spring-rabbitmq:} URIs.
     *
     * @param password the user's password, from the environment ({@code {env: RABBITMQ_PASSWORD}})
     */
    record RabbitConnection(String host, int port, String username, SecretRef password, String virtualHost) {
    }

    /**
     * An AWS account's region and credentials, for {@code aws2-sqs:} and {@code aws2-s3:} URIs.
     *
     * @param accessKey the access key id, from the environment; null (with {@code secretKey}) for the
     *                  SDK's default credentials chain (the pod's role, {@code AWS_*} variables)
     * @param endpoint  another address than AWS's own (an S3- or SQS-compatible service); null for AWS
     */
    record AwsConnection(String region, SecretRef accessKey, SecretRef secretKey, String endpoint) {
    }

    /**
     * How Syncline logs in to an SFTP server, for {@code sftp:} URIs: a user with a password or a
     * private key (a file, as a Kubernetes Secret is mounted), and the server's host key checked
     * against a known-hosts file, always.
     *
     * @param password             the user's password, from the environment; null with a private key
     * @param privateKeyFile       the user's private key in OpenSSH or PEM form; null with a password
     * @param privateKeyPassphrase the key's passphrase, from the environment; null for a key without one
     * @param knownHostsFile       the server's host key in OpenSSH {@code known_hosts} form
     */
    record SftpLogin(String username, SecretRef password, String privateKeyFile, SecretRef privateKeyPassphrase,
            String knownHostsFile) {
    }

    /** What an export's file of one run holds. */
    enum Contents {
        /** The records written since the last run, each once with its last values. */
        CHANGES,
        /** Every record written and not deleted since, each with its last values: a snapshot. */
        ALL
    }

    /**
     * A {@code to} folder (a file or an SFTP URI) written as one file per entity and run, rather
     * than a line per write (docs/connectors/csv-files.md#exports).
     *
     * @param schedule      the runs' Quartz cron, in UTC; null for runs on demand only (the admin API)
     * @param fileName      the file's name, with {@code {entity}}, {@code {run}} and {@code {time}}
     *                      (the run's start, {@code 20260105T020000Z}) filled in
     * @param deletedColumn with {@link Contents#CHANGES}: the column that says a record was deleted
     *                      ({@code true}, its key alone); null leaves deleted records out of the file
     */
    record Export(String schedule, String fileName, Contents contents, String deletedColumn) {
    }

    /**
     * @throws IllegalArgumentException a setting is missing or malformed, named with the fix
     */
    static EndpointSettings of(String system, SystemDefinition definition) {
        return definition.settings(EndpointSettings.class, written -> read(system, written));
    }

    @SuppressWarnings("unchecked")
    private static EndpointSettings read(String system, SystemDefinition definition) {
        Map<String, Object> settings = JSON.convertValue(definition.settings(), Map.class);
        SecretRef from = uri(system, "from", settings.get("from"));
        SecretRef to = uri(system, "to", settings.get("to"));
        if (from == null && to == null) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint) names no endpoint: add from: <the Camel"
                    + " URI its changes are consumed from> or to: <the Camel URI records are written to>, or both");
        }
        Format format = format(system, settings.get("format"));
        Object messageId = settings.get("messageId");
        if (messageId != null && !(messageId instanceof String)) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): messageId is the name of the header"
                    + " that carries a message's id, e.g. messageId: JMSMessageID");
        }
        RabbitConnection rabbit = settings.get("rabbitmq") == null ? null : rabbit(system, settings.get("rabbitmq"));
        AwsConnection aws = settings.get("aws") == null ? null : aws(system, settings.get("aws"));
        SftpLogin sftp = settings.get("sftp") == null ? null : sftp(system, settings.get("sftp"));
        Export export = settings.get("export") == null ? null : export(system, format, settings.get("export"));
        return new EndpointSettings(from, to, format, (String) messageId, rabbit, aws, sftp, export);
    }

    private static SecretRef uri(String system, String key, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String text && !text.isBlank() && text.contains(":")) {
            return new SecretRef(null, text);
        }
        if (value instanceof Map<?, ?> map && map.size() == 1 && map.get("env") instanceof String env) {
            return new SecretRef(env, null);
        }
        throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): " + key + " is not a Camel endpoint URI;"
                + " write " + key + ": \"scheme:path?options\" or " + key + ": {env: <variable holding the URI>}");
    }

    private static Format format(String system, Object value) {
        if (value == null) {
            return Format.JSON;
        }
        try {
            return Format.valueOf(String.valueOf(value).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): format " + value
                    + " is none Syncline reads; write format: json (a message is one JSON object) or format: csv (a CSV file)");
        }
    }

    private static RabbitConnection rabbit(String system, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): rabbitmq is {host: …, port: 5672,"
                    + " username: …, password: {env: …}, virtualHost: /}");
        }
        String host = map.get("host") instanceof String text ? text : "localhost";
        int port = map.get("port") instanceof Number number ? number.intValue() : 5672;
        String username = map.get("username") instanceof String text ? text : "guest";
        SecretRef password = secret(system, "rabbitmq.password", map.get("password"));
        String virtualHost = map.get("virtualHost") instanceof String text ? text : "/";
        return new RabbitConnection(host, port, username, password, virtualHost);
    }

    private static AwsConnection aws(String system, Object value) {
        if (!(value instanceof Map<?, ?> map) || !(map.get("region") instanceof String region) || region.isBlank()) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): aws is {region: eu-west-1,"
                    + " accessKey: {env: …}, secretKey: {env: …}, endpoint: <another address than AWS's own, optional>}");
        }
        SecretRef accessKey = secret(system, "aws.accessKey", map.get("accessKey"));
        SecretRef secretKey = secret(system, "aws.secretKey", map.get("secretKey"));
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): aws names one of accessKey and"
                    + " secretKey; give both, or neither for the SDK's default credentials (the pod's role, AWS_* variables)");
        }
        Object endpoint = map.get("endpoint");
        if (endpoint != null && !(endpoint instanceof String text && text.matches("https?://.+"))) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): aws.endpoint is an http(s):// address,"
                    + " e.g. endpoint: https://s3.example.internal");
        }
        return new AwsConnection(region, accessKey, secretKey, (String) endpoint);
    }

    private static SftpLogin sftp(String system, Object value) {
        String shape = "sftp is {username: …, password: {env: …} or privateKeyFile: <path>, privateKeyPassphrase: {env: …},"
                + " knownHostsFile: <path of the server's host key in known_hosts form>}";
        if (!(value instanceof Map<?, ?> map) || !(map.get("username") instanceof String username) || username.isBlank()) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): " + shape);
        }
        SecretRef password = secret(system, "sftp.password", map.get("password"));
        String privateKeyFile = map.get("privateKeyFile") instanceof String text ? text : null;
        if ((password == null) == (privateKeyFile == null)) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): sftp names "
                    + (password == null ? "neither password nor privateKeyFile" : "both password and privateKeyFile")
                    + "; give one of them. " + shape);
        }
        if (!(map.get("knownHostsFile") instanceof String knownHosts) || knownHosts.isBlank()) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): sftp names no knownHostsFile: the"
                    + " server's host key is always checked; write knownHostsFile: <path of a file holding its line, as"
                    + " ssh-keyscan prints it>");
        }
        return new SftpLogin(username, password, privateKeyFile, secret(system, "sftp.privateKeyPassphrase",
                map.get("privateKeyPassphrase")), knownHosts);
    }

    private static Export export(String system, Format format, Object value) {
        String shape = "export is {schedule: <Quartz cron, UTC>, fileName: \"{entity}-{time}.csv\", contents: changes or all,"
                + " deletedColumn: <column, with changes>}";
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): " + shape);
        }
        for (Object key : map.keySet()) {
            if (!java.util.Set.of("schedule", "fileName", "contents", "deletedColumn").contains(key)) {
                throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): export." + key + " is no export"
                        + " setting; " + shape);
            }
        }
        String schedule = text(system, "export.schedule", map.get("schedule"));
        if (schedule != null && !org.quartz.CronExpression.isValidExpression(schedule)) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): export.schedule '" + schedule
                    + "' is not a Quartz cron expression; write e.g. schedule: \"0 0 2 * * ?\" (02:00 UTC each day)");
        }
        String fileName = text(system, "export.fileName", map.get("fileName"));
        if (fileName == null) {
            fileName = "{entity}-{time}." + (format == Format.CSV ? "csv" : "json");
        } else if (!fileName.contains("{run}") && !fileName.contains("{time}")) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): export.fileName '" + fileName
                    + "' names every run's file alike; put {run} or {time} in it, e.g. fileName: \"accounts-{time}.csv\"");
        } else if (fileName.contains("/") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): export.fileName '" + fileName
                    + "' is a name in the to: folder, not a path, and not hidden (a name starting with '.' is how a file"
                    + " being written is hidden)");
        }
        Contents contents;
        try {
            contents = Contents.valueOf(String.valueOf(map.get("contents") == null ? "changes" : map.get("contents"))
                    .toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): export.contents " + map.get("contents")
                    + " is neither changes (the records written since the last run) nor all (every record, a snapshot)");
        }
        String deletedColumn = text(system, "export.deletedColumn", map.get("deletedColumn"));
        if (deletedColumn != null && contents == Contents.ALL) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): export.deletedColumn goes with"
                    + " contents: changes; a snapshot (contents: all) leaves a deleted record out");
        }
        return new Export(schedule, fileName, contents, deletedColumn);
    }

    private static String text(String system, String key, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): " + key + " is text; write " + key
                    .substring(key.indexOf('.') + 1) + ": \"…\"");
        }
        return text;
    }

    /** A secret setting: {@code {env: VARIABLE}}, never its value in the model; null where it is not written. */
    private static SecretRef secret(String system, String key, Object written) {
        SecretRef ref = written instanceof Map<?, ?> secret && secret.get("env") instanceof String env ? new SecretRef(env, null)
                : null;
        if (written != null && ref == null) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint): " + key + " is written in the"
                    + " model; write " + key.substring(key.indexOf('.') + 1) + ": {env: <variable holding it>}");
        }
        return ref;
    }

    /** The URI {@code ref} names, from the environment where it is {@code {env: …}}; null when the variable is unset. */
    static String resolve(SecretRef ref, Environment environment) {
        return ref == null ? null : ref.literalOrResolve(environment);
    }

    /** The scheme of {@code uri}: what comes before its first colon. */
    static String scheme(String uri) {
        return uri.substring(0, uri.indexOf(':'));
    }

    /** The header of a message's id: the system's {@code messageId}, else the one its component fills. */
    String messageIdHeader(String uri) {
        if (messageId != null) {
            return messageId;
        }
        return uri != null && RABBITMQ_SCHEME.equals(scheme(uri)) ? RABBITMQ_MESSAGE_ID : null;
    }
}
