package io.syncline.connector.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.model.Environment;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.PollingConsumer;
import org.apache.camel.support.DefaultExchange;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a Camel-endpoint system whose endpoint holds its records at rest, whole, for a
 * reconciliation or a backfill: the objects under an S3 prefix ({@code aws2-s3:}) or the files of a
 * folder, local ({@code file:}) or on SFTP ({@code sftp:}), the one its {@code fileName} names where it
 * names one, or an export's newest snapshot file ({@link EndpointExports}). The {@code to}
 * endpoint is read where it is such a place, else the {@code from} endpoint. Each object or file is
 * a JSON object (one record), a JSON array of them, or with {@code format: csv} a CSV file with a
 * header row; they are read one at a time in the order of their keys or names, and handed on in
 * pages of the request's size. That order is not the records' key order, so a backfill resumed
 * after a crash reads from the first object again (its records already written come out unchanged).
 */
final class EndpointPuller implements RecordPuller {

    /** The options of a source's URI that move, mark or wait for its files: left out of a read that leaves them be. */
    private static final Set<String> CONSUMING = Set.of("move", "moveFailed", "preMove", "delete", "noop", "idempotent",
            "idempotentKey", "idempotentRepository", "delay", "initialDelay", "maxMessagesPerPoll", "sortBy",
            "sendEmptyMessageWhenIdle", "readLock", "readLockCheckInterval", "readLockMinAge", "readLockTimeout",
            "readLockMinLength", "bridgeErrorHandler", "throwExceptionOnConnectFailed", "scheduler", "useFixedDelay");
    /** How long a read of an SFTP folder waits for the server's next file. */
    private static final long REMOTE_FILE_WAIT_MILLIS = 60_000;

    private final EndpointComponents components;
    private final EndpointExports exports;
    private final CamelContext camel;
    private final ObjectMapper json;
    private final Environment environment;

    EndpointPuller(EndpointComponents components, EndpointExports exports, CamelContext camel, ObjectMapper json,
            Environment environment) {
        this.components = components;
        this.exports = exports;
        this.camel = camel;
        this.json = json;
        this.environment = environment;
    }

    /** Whether a pull can read {@code uri}: an S3 prefix or a folder of files, local or on SFTP. */
    static boolean readable(String uri) {
        return uri != null && (AwsEndpoints.isS3(uri) || SftpFolders.is(uri) || "file".equals(EndpointSettings.scheme(uri)));
    }

    /** The URI a pull reads: {@code to} where it is readable, else {@code from}; null where neither is. */
    static String location(String from, String to) {
        return readable(to) ? to : readable(from) ? from : null;
    }

    @Override
    public PullResult pull(PullRequest request, PageSink sink) throws PullException {
        EndpointSettings settings = EndpointSettings.of(request.systemName(), request.system());
        String uri = location(EndpointSettings.resolve(settings.from(), environment), EndpointSettings.resolve(settings.to(), environment));
        if (uri == null) {
            throw new PullException(request.systemName() + " (camel-endpoint) holds no records to read: only an S3 prefix"
                    + " (aws2-s3:) or a folder of files (file:, sftp:) can be read whole");
        }
        Pages pages = new Pages(request, sink);
        try {
            String fileName = EndpointUris.options(uri).get("fileName");
            if (settings.export() != null) {
                // an export's folder holds a file per run: its newest snapshot is every record it holds
                fileName = exports.lastSnapshot(request.systemName(), request.entity()).orElseThrow(() -> new PullException(
                        request.systemName() + " has exported no " + request.entity() + " file yet: run its export first"));
            }
            if (AwsEndpoints.isS3(uri)) {
                readObjects(request.systemName(), settings, uri, pages);
            } else if (SftpFolders.is(uri)) {
                readRemoteFiles(request.systemName(), settings, uri, fileName, pages);
            } else {
                readFiles(settings, uri, fileName, pages);
            }
            pages.flush();
        } catch (PullException e) {
            throw e;
        } catch (Exception e) {
            throw new PullException("Reading " + request.systemName() + "'s " + request.entity() + " failed after "
                    + pages.records + " records: " + e.getMessage(), e);
        }
        return PullResult.complete(pages.pages, pages.records, null);
    }

    private void readObjects(String system, EndpointSettings settings, String uri, Pages pages) throws Exception {
        if (settings.aws() == null) {
            throw new PullException(system + " (camel-endpoint) names no AWS account to read its bucket with: add aws: {region, …}");
        }
        String[] place = AwsEndpoints.bucketAndPrefix(uri);
        S3Client s3 = components.s3Client(system, settings);
        for (S3Object object : s3.listObjectsV2Paginator(list -> list.bucket(place[0]).prefix(place[1])).contents()) {
            if (object.key().endsWith("/")) {
                continue;
            }
            byte[] body = s3.getObjectAsBytes(get -> get.bucket(place[0]).key(object.key())).asByteArray();
            pages.add(records(settings, object.key(), body), object.key());
        }
    }

    private void readFiles(EndpointSettings settings, String uri, String fileName, Pages pages) throws Exception {
        Path folder = Path.of(EndpointUris.path(uri).substring("file:".length()).replaceFirst("^//", ""));
        List<Path> files;
        if (fileName != null) {
            // a file that is not there is no empty system: every record would look missing from it
            if (!Files.isRegularFile(folder.resolve(fileName))) {
                throw new PullException(folder.resolve(fileName) + " is not there to be read");
            }
            files = List.of(folder.resolve(fileName));
        } else {
            try (Stream<Path> listed = Files.list(folder)) {
                files = listed.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().startsWith("."))
                        .sorted().toList();
            }
        }
        for (Path file : files) {
            pages.add(records(settings, file.getFileName().toString(), Files.readAllBytes(file)), file.getFileName().toString());
        }
    }

    /**
     * Reads the files of an SFTP folder (the one {@code fileName} names, where it names one) through
     * Camel's SFTP component, left where they are: one poll of a consumer of its own, whose batch
     * is every file of the folder in the order of their names, hidden files (being written) left out.
     */
    private void readRemoteFiles(String system, EndpointSettings settings, String uri, String fileName, Pages pages)
            throws Exception {
        StringBuilder read = new StringBuilder(EndpointUris.path(uri)).append("?noop=true&idempotent=false&sortBy=file:name")
                .append("&sendEmptyMessageWhenIdle=true&initialDelay=0&delay=3600000&throwExceptionOnConnectFailed=true")
                .append("&bridgeErrorHandler=true");
        EndpointUris.options(uri).forEach((option, value) -> {
            if (!CONSUMING.contains(option) && !"fileName".equals(option)) {
                read.append('&').append(option).append('=').append(value);
            }
        });
        if (fileName != null) {
            read.append("&fileName=").append(fileName);
        }
        Endpoint endpoint = camel.getEndpoint(components.endpoint(system, settings, read.toString()));
        PollingConsumer consumer = endpoint.createPollingConsumer();
        consumer.start();
        try {
            boolean found = false;
            while (true) {
                Exchange file = consumer.receive(REMOTE_FILE_WAIT_MILLIS);
                if (file == null) {
                    throw new PullException(system + "'s SFTP server sent no file within " + REMOTE_FILE_WAIT_MILLIS / 1000
                            + " s");
                }
                if (file.getException() != null) {
                    throw new PullException(system + "'s SFTP folder could not be read: " + file.getException().getMessage(),
                            file.getException());
                }
                String name = file.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
                if (name == null) {
                    break; // the folder is empty
                }
                found = true;
                pages.add(records(settings, name, file.getMessage().getMandatoryBody(byte[].class)), name);
                if (Boolean.TRUE.equals(file.getProperty(Exchange.BATCH_COMPLETE, Boolean.class))) {
                    break;
                }
            }
            if (!found && fileName != null) {
                throw new PullException(fileName + " is not in " + system + "'s SFTP folder to be read");
            }
        } finally {
            consumer.stop();
            camel.removeEndpoint(endpoint);
        }
    }

    /** The records of one object or file. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> records(EndpointSettings settings, String name, byte[] body) throws Exception {
        if (settings.format() == EndpointSettings.Format.CSV) {
            CsvRows.Read read;
            try {
                read = CsvRows.read(new DefaultExchange(camel), body);
            } catch (IllegalArgumentException e) {
                throw new PullException(name + ": " + e.getMessage(), e);
            }
            if (!read.malformed().isEmpty()) {
                CsvRows.Malformed first = read.malformed().get(0);
                // a count that leaves rows out is no count: the reconciliation says why instead
                throw new PullException(name + ": line " + first.line() + " " + first.reason() + " (" + read.malformed().size()
                        + " malformed rows)");
            }
            return read.rows().stream().map(CsvRows.Row::record).toList();
        }
        Object parsed;
        try {
            parsed = json.readValue(body, Object.class);
        } catch (IOException e) {
            throw new PullException(name + " is not JSON: " + e.getMessage(), e);
        }
        if (parsed instanceof Map<?, ?> record) {
            return List.of((Map<String, Object>) record);
        }
        if (parsed instanceof List<?> list && list.stream().allMatch(Map.class::isInstance)) {
            return (List<Map<String, Object>>) list;
        }
        throw new PullException(name + " holds neither a JSON object nor an array of them");
    }

    /** The records read so far, handed on a page at a time; those the request does not ask for left out. */
    private static final class Pages {

        private final PullRequest request;
        private final PageSink sink;
        private final Set<String> keys;
        private final List<Map<String, Object>> page = new ArrayList<>();
        long pages;
        long records;

        Pages(PullRequest request, PageSink sink) {
            this.request = request;
            this.sink = sink;
            this.keys = request.keys() == null ? null : new HashSet<>(request.keys().stream().map(String::valueOf).toList());
        }

        void add(List<Map<String, Object>> read, String name) throws Exception {
            String key = request.mapping().key();
            for (Map<String, Object> record : read) {
                Object id = record.get(key);
                if (id == null) {
                    throw new PullException(name + " holds a record without " + key + ", the mapping's key");
                }
                if (keys == null || keys.contains(String.valueOf(id))) {
                    page.add(new LinkedHashMap<>(record));
                    if (page.size() >= Math.max(1, request.pageSize())) {
                        flush();
                    }
                }
            }
        }

        void flush() throws Exception {
            if (!page.isEmpty()) {
                pages++;
                records += page.size();
                sink.accept(new ArrayList<>(page));
                page.clear();
            }
        }
    }
}
