package io.syncline.connector.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.model.Environment;
import org.apache.camel.CamelContext;
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
 * folder ({@code file:}, the one its {@code fileName} names where it names one). The {@code to}
 * endpoint is read where it is such a place, else the {@code from} endpoint. Each object or file is
 * a JSON object (one record), a JSON array of them, or with {@code format: csv} a CSV file with a
 * header row; they are read one at a time in the order of their keys or names, and handed on in
 * pages of the request's size. That order is not the records' key order, so a backfill resumed
 * after a crash reads from the first object again (its records already written come out unchanged).
 */
final class EndpointPuller implements RecordPuller {

    private final EndpointComponents components;
    private final CamelContext camel;
    private final ObjectMapper json;
    private final Environment environment;

    EndpointPuller(EndpointComponents components, CamelContext camel, ObjectMapper json, Environment environment) {
        this.components = components;
        this.camel = camel;
        this.json = json;
        this.environment = environment;
    }

    /** Whether a pull can read {@code uri}: an S3 prefix or a folder of files. */
    static boolean readable(String uri) {
        return uri != null && (AwsEndpoints.isS3(uri) || "file".equals(EndpointSettings.scheme(uri)));
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
                    + " (aws2-s3:) or a folder of files (file:) can be read whole");
        }
        Pages pages = new Pages(request, sink);
        try {
            if (AwsEndpoints.isS3(uri)) {
                readObjects(request.systemName(), settings, uri, pages);
            } else {
                readFiles(settings, uri, pages);
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

    private void readFiles(EndpointSettings settings, String uri, Pages pages) throws Exception {
        Path folder = Path.of(EndpointUris.path(uri).substring("file:".length()).replaceFirst("^//", ""));
        String fileName = EndpointUris.options(uri).get("fileName");
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
