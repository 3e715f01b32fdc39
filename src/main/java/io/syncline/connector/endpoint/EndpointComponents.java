package io.syncline.connector.endpoint;

import io.syncline.connector.spi.SystemComponents;
import io.syncline.model.ConfigEnvironment;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.CamelContext;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.retry.ImmediateRequeueMessageRecoverer;
import org.springframework.retry.interceptor.RetryOperationsInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Camel components the endpoints of Camel-endpoint systems need of their own: one
 * {@link SpringRabbitMQComponent} per system that names a RabbitMQ broker, under the scheme
 * {@code spring-rabbitmq-<system>}, connected with the system's credentials, and one SQS or S3
 * component per system that names an AWS account ({@link AwsEndpoints}); made anew when the
 * system's settings change. An endpoint of a component Camel makes by itself (files) needs none.
 */
@ApplicationScoped
public class EndpointComponents {

    /**
     * What a consumer does with a message whose events could not be stored (the state store away):
     * tries it twice, half a second apart, then hands it back to the queue to be delivered again,
     * never drops it, as Spring AMQP's default recoverer would, nor rejects it
     * ({@code rejectAndDontRequeue}, which loses it on a queue without a dead-letter exchange).
     */
    private static final RetryOperationsInterceptor HANDED_BACK = RetryInterceptorBuilder.stateless().maxAttempts(2)
            .backOffOptions(500, 1.0, 500).recoverer(new ImmediateRequeueMessageRecoverer()).build();

    private final SystemComponents<EndpointSettings.RabbitConnection, SpringRabbitMQComponent> rabbit;
    private final AwsEndpoints aws;
    private final ConfigEnvironment environment = new ConfigEnvironment();
    private final Map<String, CachingConnectionFactory> factories = new ConcurrentHashMap<>();

    public EndpointComponents(CamelContext camel) {
        this.rabbit = new SystemComponents<>(camel, EndpointSettings.RABBITMQ_SCHEME + "-",
                "RabbitMQ system %s: its connection settings changed, connecting anew");
        this.aws = new AwsEndpoints(camel);
    }

    /**
     * {@code uri} as {@code system}'s endpoint: a {@code spring-rabbitmq:}, {@code aws2-sqs:} or
     * {@code aws2-s3:} URI on the system's own component; an {@code sftp:} URI with the system's login.
     */
    String endpoint(String system, EndpointSettings settings, String uri) {
        if (AwsEndpoints.isSqs(uri) || AwsEndpoints.isS3(uri)) {
            return aws.endpoint(system, settings.aws(), uri, environment);
        }
        if (SftpFolders.is(uri)) {
            return SftpFolders.endpoint(uri, settings.sftp(), environment);
        }
        if (!EndpointSettings.RABBITMQ_SCHEME.equals(EndpointSettings.scheme(uri)) || settings.rabbitmq() == null) {
            return uri;
        }
        rabbit.of(system, settings.rabbitmq(), connection -> made(system, connection));
        return rabbit.scheme(system) + uri.substring(uri.indexOf(':'));
    }

    /** The S3 client of {@code system}'s own component; the system must name its account ({@code aws:}). */
    S3Client s3Client(String system, EndpointSettings settings) {
        return aws.s3Client(system, settings.aws(), environment);
    }

    private SpringRabbitMQComponent made(String system, EndpointSettings.RabbitConnection connection) {
        CachingConnectionFactory factory = new CachingConnectionFactory(connection.host(), connection.port());
        factory.setUsername(connection.username());
        if (connection.password() != null) {
            factory.setPassword(connection.password().resolve(environment));
        }
        factory.setVirtualHost(connection.virtualHost());
        CachingConnectionFactory before = factories.put(system, factory);
        if (before != null) {
            before.destroy();
        }
        SpringRabbitMQComponent component = new SpringRabbitMQComponent();
        component.setConnectionFactory(factory);
        component.setRetry(HANDED_BACK);
        return component;
    }

    @PreDestroy
    void close() {
        factories.values().forEach(CachingConnectionFactory::destroy);
    }
}
