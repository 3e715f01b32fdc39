package io.syncline.connector.endpoint;

import io.syncline.connector.spi.SystemComponents;
import io.syncline.model.Environment;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Component;
import org.apache.camel.component.aws2.s3.AWS2S3Configuration;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import org.apache.camel.component.aws2.sqs.Sqs2Component;
import org.apache.camel.component.aws2.sqs.Sqs2Configuration;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.net.URI;
import java.util.Map;

/**
 * Amazon SQS queues ({@code aws2-sqs:<queue>}) and S3 buckets ({@code aws2-s3:<bucket>}) as
 * Camel-endpoint systems: a component of each system's own, made with the system's region and
 * credentials ({@code aws:}), so that no key is ever written into a URI (nor shown where Camel
 * names an endpoint); the id of a message each consumer reads; and where an S3 write puts its
 * record.
 *
 * <p>An SQS message is deleted from its queue only after its exchange completes, that is after its
 * event is stored; a failed one becomes visible again after the queue's visibility timeout and is
 * read again. An S3 object is deleted (or moved, with the URI's {@code moveAfterRead}) only after
 * its events are stored; a failed one stays and is read again at the next poll.
 */
final class AwsEndpoints {

    static final String SQS_SCHEME = "aws2-sqs";
    static final String S3_SCHEME = "aws2-s3";
    /** The header of a consumed S3 object's key, which names the file in a CSV row's error. */
    static final String OBJECT_KEY = AWS2S3Constants.KEY;

    private final SystemComponents<Connection, Sqs2Component> sqs;
    private final SystemComponents<Connection, AWS2S3Component> s3;

    /** A system's connection with its credentials read from the environment, compared to know when to connect anew. */
    private record Connection(String region, String accessKey, String secretKey, String endpoint) {

        @Override
        public String toString() {
            return "Connection[region=" + region + ", endpoint=" + endpoint + "]";
        }
    }

    AwsEndpoints(CamelContext camel) {
        this.sqs = new SystemComponents<>(camel, SQS_SCHEME + "-", "SQS system %s: its connection settings changed, connecting anew");
        this.s3 = new SystemComponents<>(camel, S3_SCHEME + "-", "S3 system %s: its connection settings changed, connecting anew");
    }

    static boolean isSqs(String uri) {
        return uri != null && SQS_SCHEME.equals(EndpointSettings.scheme(uri));
    }

    static boolean isS3(String uri) {
        return uri != null && S3_SCHEME.equals(EndpointSettings.scheme(uri));
    }

    /** {@code uri} on {@code system}'s own component where it is an SQS or S3 URI and the system names its account; else as it is. */
    String endpoint(String system, EndpointSettings.AwsConnection aws, String uri, Environment environment) {
        if (aws == null || !(isSqs(uri) || isS3(uri))) {
            return uri;
        }
        Connection connection = connection(aws, environment);
        String path = uri.substring(uri.indexOf(':'));
        if (isSqs(uri)) {
            sqs.of(system, connection, AwsEndpoints::sqs);
            return sqs.scheme(system) + path;
        }
        s3.of(system, connection, this::s3);
        return s3.scheme(system) + path;
    }

    /** The S3 client of {@code system}'s own component, made as for its endpoints: to list and read a bucket's objects. */
    S3Client s3Client(String system, EndpointSettings.AwsConnection aws, Environment environment) {
        return s3.of(system, connection(aws, environment), this::s3).getConfiguration().getAmazonS3Client();
    }

    /** The bucket of an {@code aws2-s3:} URI, and the {@code prefix} its objects' keys start with (empty for none). */
    static String[] bucketAndPrefix(String uri) {
        String bucket = EndpointUris.path(uri).substring(S3_SCHEME.length() + 1).replaceFirst("^//", "");
        String prefix = EndpointUris.options(uri).get("prefix");
        return new String[]{bucket, prefix == null ? "" : prefix};
    }

    private static Connection connection(EndpointSettings.AwsConnection aws, Environment environment) {
        return new Connection(aws.region(), EndpointSettings.resolve(aws.accessKey(), environment),
                EndpointSettings.resolve(aws.secretKey(), environment), aws.endpoint());
    }

    private static Sqs2Component sqs(Connection connection) {
        Sqs2Configuration configuration = new Sqs2Configuration();
        configuration.setRegion(connection.region());
        if (connection.accessKey() != null) {
            configuration.setAccessKey(connection.accessKey());
            configuration.setSecretKey(connection.secretKey());
        } else {
            configuration.setUseDefaultCredentialsProvider(true);
        }
        if (connection.endpoint() != null) {
            configuration.setOverrideEndpoint(true);
            configuration.setUriEndpointOverride(connection.endpoint());
        }
        Sqs2Component component = new Sqs2Component();
        component.setConfiguration(configuration);
        return component;
    }

    private AWS2S3Component s3(Connection connection) {
        S3ClientBuilder builder = S3Client.builder().region(Region.of(connection.region()))
                .credentialsProvider(connection.accessKey() != null
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(connection.accessKey(), connection.secretKey()))
                        : DefaultCredentialsProvider.builder().build());
        if (connection.endpoint() != null) {
            // an S3-compatible service: its buckets by path, not by host name, and the payload's checksum
            // only where the API requires one (many such services refuse the SDK's default CRC trailers)
            builder.endpointOverride(URI.create(connection.endpoint())).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        AWS2S3Configuration configuration = new AWS2S3Configuration();
        configuration.setRegion(connection.region());
        configuration.setAmazonS3Client(builder.build());
        AWS2S3Component component = new AWS2S3Component();
        component.setConfiguration(configuration);
        return component;
    }

    /**
     * The id of a consumed SQS message or S3 object, the same each time it is read: SQS's message id;
     * an object's key and ETag (the same object written again with other content is another event).
     * Null for any other message.
     */
    static String messageId(String uri, Message message) {
        if (isSqs(uri)) {
            return message.getHeader(Sqs2Constants.MESSAGE_ID, String.class);
        }
        if (isS3(uri)) {
            String key = message.getHeader(AWS2S3Constants.KEY, String.class);
            String etag = message.getHeader(AWS2S3Constants.E_TAG, String.class);
            return key == null ? null : key + "@" + (etag == null ? "" : etag.replace("\"", ""));
        }
        return null;
    }

    /** The object a record is kept in: {@code <prefix><id>.json}, the prefix the URI's {@code prefix} option. */
    static String objectKey(String uri, String id) {
        String prefix = EndpointUris.options(uri).get("prefix");
        return (prefix == null ? "" : prefix) + id + ".json";
    }

    /** The headers of an S3 write of the record {@code id}: its object, and for a delete the operation. */
    static void s3Write(String uri, String id, boolean delete, Map<String, Object> headers) {
        headers.put(AWS2S3Constants.KEY, objectKey(uri, id));
        if (delete) {
            headers.put(AWS2S3Constants.S3_OPERATION, AWS2S3Operations.deleteObject);
        }
    }
}
