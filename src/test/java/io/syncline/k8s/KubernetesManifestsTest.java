package io.syncline.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import org.apache.camel.impl.engine.DefaultShutdownStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The overlays in {@code k8s/overlays/} cannot be applied to a cluster here, so each is rendered
 * with {@code kubectl kustomize} and checked as the API server would check it (schema, enums,
 * ranges: {@link KubernetesSchema}) and for references between its objects that would leave a pod
 * unstartable or an object selecting nothing ({@link ManifestReferences}); then against what the
 * application expects (health paths, where route files are read, which settings come from which
 * Secret, its body limit, shutdown timeout and metrics).
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final Path ROUTES = Path.of("routes");
    private static final List<String> OVERLAYS = List.of("dev", "prod", "prod-kafka");
    /** Components rendered here: kafka-inbox in prod-kafka, kafka-brokers-from-secret in a test's overlay on top of it. */
    private static final Set<String> COMPONENTS = Set.of("kafka-inbox", "kafka-brokers-from-secret");
    /** Created by the operator before an overlay is applied (docs/deployment.md, "Secrets"). */
    static final Set<String> PREREQUISITE_SECRETS = Set.of("syncline-db", "syncline-keys", "syncline-env", "syncline-tls");
    private static final long RENDER_TIMEOUT_SECONDS = 60;
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<Path, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    static List<String> overlays() {
        return OVERLAYS;
    }

    // --- every overlay renders and passes ---------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void overlayRendersAndPassesTheSchemaAndReferenceChecks(String overlay) {
        List<JsonNode> objects = render(overlay);

        assertThat(objects).extracting(object -> object.path("kind").asText())
                .contains("ConfigMap", "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                        "Ingress", "NetworkPolicy");
        assertThat(check(objects)).isEmpty();
    }

    @Test
    void everyOverlayFolderIsCheckedHere() throws IOException {
        try (Stream<Path> folders = Files.list(K8S.resolve("overlays"))) {
            assertThat(folders.map(folder -> folder.getFileName().toString())).containsExactlyInAnyOrderElementsOf(OVERLAYS);
        }
    }

    @Test
    void everyComponentIsRenderedHere() throws IOException {
        try (Stream<Path> folders = Files.list(K8S.resolve("components"))) {
            assertThat(folders.map(folder -> folder.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(COMPONENTS);
        }
    }

    @Test
    void prodAddsTheServiceMonitorAndScalesOnTheInboxDepth() {
        List<JsonNode> prod = render("prod");
        assertThat(prod).extracting(object -> object.path("kind").asText()).contains("ServiceMonitor");
        V2HorizontalPodAutoscaler autoscaler = model(prod, "HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class);

        assertThat(autoscaler.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(autoscaler.getSpec().getMetrics()).extracting(metric -> metric.getType()).containsExactly("Resource", "Object");
        var inbox = autoscaler.getSpec().getMetrics().get(1).getObject();
        assertThat(inbox.getMetric().getName()).isEqualTo("syncline_inbox_depth");
        assertThat(inbox.getDescribedObject().getKind()).isEqualTo("Service");
        assertThat(inbox.getTarget().getType()).isEqualTo("AverageValue");
    }

    @Test
    void prodKafkaIsProdWithTheInboxInKafkaScaledOnTheConsumerGroupsLag() {
        List<JsonNode> prod = render("prod");
        List<JsonNode> kafka = render("prod-kafka");
        V1Container container = container(deployment("prod-kafka"));

        // the mode, and the brokers and topic from the generated ConfigMap's keys
        assertThat(env(container.getEnv(), "SYNCLINE_INBOX_MODE").getValue()).isEqualTo("kafka");
        String configMap = configMapKey(container.getEnv(), "SYNCLINE_INBOX_KAFKA_BROKERS");
        assertThat(configMap).matches("syncline-kafka-[a-z0-9]{10}/brokers");
        assertThat(configMapKey(container.getEnv(), "SYNCLINE_INBOX_KAFKA_TOPIC")).isEqualTo(configMap.replace("/brokers", "/topic"));
        JsonNode data = named(kafka, "ConfigMap", configMap.substring(0, configMap.indexOf('/'))).path("data");
        assertThat(data.path("brokers").asText()).matches("[^,:]+:[0-9]+(,[^,:]+:[0-9]+)*");
        assertThat(data.path("topic").asText()).isNotBlank();

        // the lag instead of the inbox table's depth, CPU as in prod
        V2HorizontalPodAutoscaler autoscaler = model(kafka, "HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class);
        V2HorizontalPodAutoscaler prodAutoscaler = model(prod, "HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class);
        assertThat(autoscaler.getSpec().getMetrics()).extracting(metric -> metric.getType()).containsExactly("Resource", "Object");
        assertThat(autoscaler.getSpec().getMetrics().get(0)).isEqualTo(prodAutoscaler.getSpec().getMetrics().get(0));
        var lag = autoscaler.getSpec().getMetrics().get(1).getObject();
        assertThat(lag.getMetric().getName()).isEqualTo("syncline_inbox_kafka_lag");
        assertThat(lag.getDescribedObject().getKind()).isEqualTo("Service");
        assertThat(lag.getTarget().getType()).isEqualTo("AverageValue");

        // out to the brokers' port, besides what prod lets out
        V1NetworkPolicy policy = model(kafka, "NetworkPolicy", V1NetworkPolicy.class);
        assertThat(policy.getSpec().getEgress()).containsAll(model(prod, "NetworkPolicy", V1NetworkPolicy.class).getSpec().getEgress());
        assertThat(policy.getSpec().getEgress().stream().flatMap(rule -> rule.getPorts().stream())
                .map(port -> port.getPort().getIntValue())).contains(9092);

        // and nothing else differs from prod
        List<V1EnvVar> prodEnv = container(deployment("prod")).getEnv();
        assertThat(container.getEnv()).containsAll(prodEnv);
        assertThat(container.getEnv()).extracting(V1EnvVar::getName).filteredOn(name -> prodEnv.stream()
                .noneMatch(var -> var.getName().equals(name)))
                .containsExactlyInAnyOrder("SYNCLINE_INBOX_MODE", "SYNCLINE_INBOX_KAFKA_BROKERS", "SYNCLINE_INBOX_KAFKA_TOPIC");
        assertThat(withoutKafkaParts(kafka)).isEqualTo(withoutKafkaParts(prod));
    }

    @Test
    void theBrokersCanComeFromTheIntegratorsSecretInstead(@org.junit.jupiter.api.io.TempDir Path copy) throws IOException {
        copyTree(K8S, copy.resolve("k8s"));
        copyTree(ROUTES, copy.resolve("routes"));
        Path overlay = Files.createDirectories(copy.resolve("k8s/overlays/prod-kafka-secret"));
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                resources:
                  - ../prod-kafka
                components:
                  - ../../components/kafka-brokers-from-secret
                """);
        List<JsonNode> objects = renderFolder(overlay);
        V1Container container = model(objects, "Deployment", V1Deployment.class).getSpec().getTemplate().getSpec()
                .getContainers().get(0);

        assertThat(check(objects)).isEmpty();
        assertThat(secretKey(container.getEnv(), "SYNCLINE_INBOX_KAFKA_BROKERS")).isEqualTo("syncline-env/SYNCLINE_INBOX_KAFKA_BROKERS");
        assertThat(env(container.getEnv(), "SYNCLINE_INBOX_KAFKA_BROKERS").getValueFrom().getConfigMapKeyRef()).isNull();
        assertThat(configMapKey(container.getEnv(), "SYNCLINE_INBOX_KAFKA_TOPIC")).endsWith("/topic");
        assertThat(env(container.getEnv(), "SYNCLINE_INBOX_MODE").getValue()).isEqualTo("kafka");
    }

    // --- the checks reject what the API server would --------------------------------------------

    record Mutation(String name, Consumer<List<JsonNode>> change, String expected, String overlay) {

        /** A mistake made in the prod overlay. */
        Mutation(String name, Consumer<List<JsonNode>> change, String expected) {
            this(name, change, expected, "prod");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Mutation> mutations() {
        return List.of(
                new Mutation("unknown field", objects -> spec(objects, "Deployment").put("replicass", 2),
                        "unknown field `replicass` of V1DeploymentSpec"),
                new Mutation("unknown field in a ServiceMonitor", objects -> endpoint(objects).put("intervall", "30s"),
                        "unknown field `intervall` of Endpoint"),
                new Mutation("missing required field", objects -> container(objects).remove("name"),
                        "required field `name` of V1Container is missing"),
                new Mutation("integer as a string", objects -> port(objects).put("containerPort", "8080"),
                        ".containerPort: expected an integer, found string \"8080\""),
                new Mutation("boolean annotation", objects -> ((ObjectNode) podTemplate(objects).at("/metadata/annotations"))
                        .put("prometheus.io/scrape", true), ".annotations.prometheus.io/scrape: expected a string, found boolean"),
                new Mutation("list where an object belongs", objects -> spec(objects, "Deployment").putArray("selector"),
                        ".spec.selector: expected an object (V1LabelSelector), found list"),
                new Mutation("bad imagePullPolicy", objects -> container(objects).put("imagePullPolicy", "Sometimes"),
                        "imagePullPolicy: unsupported value `Sometimes`"),
                new Mutation("bad protocol", objects -> port(objects).put("protocol", "HTTP"),
                        "protocol: unsupported value `HTTP`"),
                new Mutation("bad restartPolicy", objects -> ((ObjectNode) podTemplate(objects).path("spec")).put("restartPolicy", "Sometimes"),
                        "restartPolicy: unsupported value `Sometimes`"),
                new Mutation("bad Service type", objects -> spec(objects, "Service").put("type", "Internal"),
                        ".spec.type: unsupported value `Internal`"),
                new Mutation("bad pathType", objects -> ((ObjectNode) first(objects, "Ingress").at("/spec/rules/0/http/paths/0"))
                        .put("pathType", "Glob"), "pathType: unsupported value `Glob`"),
                new Mutation("bad policyType", objects -> ((ArrayNode) spec(objects, "NetworkPolicy").path("policyTypes"))
                        .add("Sideways"), "policyTypes: unsupported value `Sideways`"),
                new Mutation("bad ServiceMonitor interval", objects -> endpoint(objects).put("interval", "30 seconds"),
                        "interval: `30 seconds` does not match"),
                new Mutation("unknown field in a PrometheusRule", objects -> alert(objects).put("severity", "critical"),
                        "unknown field `severity` of Rule"),
                new Mutation("alert without an expression", objects -> alert(objects).remove("expr"),
                        "required field `expr` of Rule is missing"),
                new Mutation("bad alert duration", objects -> alert(objects).put("for", "2 minutes"),
                        "for: `2 minutes` does not match"),
                new Mutation("negative replicas", objects -> spec(objects, "Deployment").put("replicas", -1),
                        ".spec.replicas: -1 is out of range >= 0"),
                new Mutation("port above 65535", objects -> port(objects).put("containerPort", 99999),
                        ".containerPort: 99999 is out of range 1..65535"),
                new Mutation("port 0", objects -> ((ObjectNode) spec(objects, "Service").at("/ports/0")).put("port", 0),
                        ".port: 0 is out of range 1..65535"),
                new Mutation("probe period 0", objects -> ((ObjectNode) container(objects).path("readinessProbe"))
                        .put("periodSeconds", 0), "readinessProbe.periodSeconds: 0 is out of range >= 1"),
                new Mutation("negative probe threshold", objects -> ((ObjectNode) container(objects).path("livenessProbe"))
                        .put("failureThreshold", -3), "livenessProbe.failureThreshold: -3 is out of range >= 1"),
                new Mutation("maxReplicas below minReplicas", objects -> spec(objects, "HorizontalPodAutoscaler")
                        .put("maxReplicas", 1), "maxReplicas: 1 is below minReplicas 2"),
                new Mutation("volume mounted but not defined", objects -> ((ObjectNode) container(objects).at("/volumeMounts/0"))
                        .put("name", "rotues"), "mounts volume `rotues`, which the pod does not define"),
                new Mutation("Secret nobody provides", objects -> ((ObjectNode) container(objects).at("/envFrom/0/secretRef"))
                        .put("name", "syncline-env-typo"), "references Secret `syncline-env-typo`, which no manifest provides"),
                new Mutation("ConfigMap nobody provides", objects -> ((ObjectNode) podTemplate(objects).at("/spec/volumes/0/configMap"))
                        .put("name", "syncline-routes"), "references ConfigMap `syncline-routes`, which no manifest provides"),
                new Mutation("TLS Secret nobody provides", objects -> ((ObjectNode) first(objects, "Ingress").at("/spec/tls/0"))
                        .put("secretName", "other-tls"), "TLS references Secret `other-tls`"),
                new Mutation("Service selecting no pod", objects -> ((ObjectNode) spec(objects, "Service").path("selector"))
                        .put("app.kubernetes.io/name", "synclin"), "Service syncline: spec.selector"),
                new Mutation("Service targeting an unnamed port", objects -> ((ObjectNode) spec(objects, "Service").at("/ports/0"))
                        .put("targetPort", "web"), "targets port `web`, which no selected container names"),
                new Mutation("PDB selecting no pod", objects -> ((ObjectNode) spec(objects, "PodDisruptionBudget").at("/selector/matchLabels"))
                        .put("tier", "web"), "PodDisruptionBudget syncline: spec.selector"),
                new Mutation("NetworkPolicy selecting no pod", objects -> ((ObjectNode) spec(objects, "NetworkPolicy").at("/podSelector/matchLabels"))
                        .put("app.kubernetes.io/name", "other"), "NetworkPolicy syncline: spec.podSelector"),
                new Mutation("HPA scaling no Deployment", objects -> ((ObjectNode) spec(objects, "HorizontalPodAutoscaler").path("scaleTargetRef"))
                        .put("name", "synclin"), "scaleTargetRef names Deployment `synclin`, which no manifest provides"),
                new Mutation("HPA metric on no Service", objects -> ((ObjectNode) spec(objects, "HorizontalPodAutoscaler")
                        .at("/metrics/1/object/describedObject")).put("name", "inbox"), "is read on Service `inbox`"),
                new Mutation("ServiceMonitor selecting no Service", objects -> ((ObjectNode) spec(objects, "ServiceMonitor")
                        .at("/selector/matchLabels")).put("app.kubernetes.io/name", "other"), "ServiceMonitor syncline: spec.selector"),
                new Mutation("ServiceMonitor on an unnamed port", objects -> endpoint(objects).put("port", "metrics"),
                        "endpoint port `metrics` is not a port name"),
                new Mutation("Ingress to no Service", objects -> ((ObjectNode) first(objects, "Ingress")
                        .at("/spec/rules/0/http/paths/0/backend/service")).put("name", "webhooks"), "goes to Service `webhooks`"),
                new Mutation("probe on an unnamed port", objects -> ((ObjectNode) container(objects).at("/readinessProbe/httpGet"))
                        .put("port", "health"), "readinessProbe uses port `health`"),
                new Mutation("brokers from a ConfigMap nobody provides", objects -> configMapRef(objects, "SYNCLINE_INBOX_KAFKA_BROKERS")
                        .put("name", "syncline-kafka"), "references ConfigMap `syncline-kafka`, which no manifest provides", "prod-kafka"),
                new Mutation("topic from a key the ConfigMap lacks", objects -> configMapRef(objects, "SYNCLINE_INBOX_KAFKA_TOPIC")
                        .put("key", "topics"), "references key `topics` of ConfigMap", "prod-kafka"),
                new Mutation("lag metric on no Service", objects -> ((ObjectNode) spec(objects, "HorizontalPodAutoscaler")
                        .at("/metrics/1/object/describedObject")).put("name", "kafka"), "is read on Service `kafka`", "prod-kafka"),
                new Mutation("broker port above 65535", objects -> ((ObjectNode) spec(objects, "NetworkPolicy").at("/egress/2/ports/0"))
                        .put("port", 90920), ".port: 90920 is out of range 1..65535", "prod-kafka"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void eachKindOfMistakeIsRejected(Mutation mutation) {
        List<JsonNode> objects = copy(render(mutation.overlay()));
        assertThat(check(objects)).as("before the mutation").isEmpty();

        mutation.change().accept(objects);

        assertThat(check(objects)).anySatisfy(problem -> assertThat(problem).contains(mutation.expected()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ServiceMonitor", "Secret"})
    void aKindWithoutASchemaIsRejected(String kind) {
        ObjectNode unknown = YAML.createObjectNode().put("apiVersion", "v2").put("kind", kind);
        unknown.putObject("metadata").put("name", "x");

        assertThatThrownBy(() -> KubernetesSchema.validate(unknown))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no schema for v2/" + kind);
    }

    // --- what the application expects ------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void probesUseTheQuarkusHealthEndpointsOnTheHttpPort(String overlay) {
        V1Container container = container(deployment(overlay));

        assertThat(container.getPorts()).anySatisfy(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(8080);
        });
        assertProbe(container.getStartupProbe(), "/q/health/started");
        assertProbe(container.getLivenessProbe(), "/q/health/live");
        assertProbe(container.getReadinessProbe(), "/q/health/ready");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void secretsComeFromTheSecretsAndNeverFromLiteralValues(String overlay) {
        V1Container container = container(deployment(overlay));
        List<V1EnvVar> env = container.getEnv();

        assertThat(secretKey(env, "QUARKUS_DATASOURCE_JDBC_URL")).isEqualTo("syncline-db/url");
        assertThat(secretKey(env, "QUARKUS_DATASOURCE_USERNAME")).isEqualTo("syncline-db/username");
        assertThat(secretKey(env, "QUARKUS_DATASOURCE_PASSWORD")).isEqualTo("syncline-db/password");
        assertThat(secretKey(env, "SYNCLINE_ADMIN_PASSWORD")).isEqualTo("syncline-keys/admin-password");
        assertThat(secretKey(env, "SYNCLINE_VIEWER_PASSWORD")).isEqualTo("syncline-keys/viewer-password");
        assertThat(secretKey(env, "SYNCLINE_CONSOLE_SESSION_KEY")).isEqualTo("syncline-keys/console-session-key");
        assertThat(secretKey(env, "SYNCLINE_PRIVACY_DIGEST_KEY")).isEqualTo("syncline-keys/privacy-digest-key");
        // production refuses to start without these two: the pod must not start without them either
        assertThat(env(env, "SYNCLINE_CONSOLE_SESSION_KEY").getValueFrom().getSecretKeyRef().getOptional()).isNotEqualTo(true);
        assertThat(env(env, "SYNCLINE_PRIVACY_DIGEST_KEY").getValueFrom().getSecretKeyRef().getOptional()).isNotEqualTo(true);
        // every {env: NAME} of the model: one Secret the integrator fills
        assertThat(container.getEnvFrom()).singleElement()
                .satisfies(source -> assertThat(source.getSecretRef().getName()).isEqualTo("syncline-env"));
        assertThat(env)
                .filteredOn(var -> var.getName().matches(".*(PASSWORD|SECRET|TOKEN|KEY).*"))
                .allSatisfy(var -> assertThat(var.getValue()).as("literal value of %s", var.getName()).isNull());
        assertThat(render(overlay)).extracting(object -> object.path("kind").asText()).doesNotContain("Secret");
    }

    @Test
    void everyPrerequisiteSecretIsDocumented() throws IOException {
        String guide = Files.readString(Path.of("docs", "deployment.md"));
        for (String secret : PREREQUISITE_SECRETS) {
            assertThat(guide).as("docs/deployment.md creates %s", secret)
                    .containsPattern("create secret (generic|tls) " + secret + " ");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyRouteFileIsMountedWhereTheApplicationReadsRouteFiles(String overlay) throws IOException {
        List<JsonNode> objects = render(overlay);
        V1Deployment deployment = deployment(overlay);
        V1Container container = container(deployment);
        String routesLocation = env(container.getEnv(), "SYNCLINE_ROUTES_LOCATION").getValue();

        V1VolumeMount mount = mountAt(container, routesLocation);
        assertThat(mount.getReadOnly()).isTrue();
        String configMap = volume(podSpec(deployment), mount.getName()).getConfigMap().getName();
        assertThat(configMap).as("generated, with a hash of its files").matches("syncline-routes-[a-z0-9]{10}");
        JsonNode data = objects.stream().filter(object -> object.at("/metadata/name").asText().equals(configMap))
                .findFirst().orElseThrow().path("data");
        List<String> keys = new ArrayList<>();
        data.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrderElementsOf(routeFiles(ROUTES));
    }

    @Test
    void aChangedRouteFileRenamesTheConfigMapAndSoRollsTheDeployment(@org.junit.jupiter.api.io.TempDir Path copy)
            throws IOException {
        copyTree(K8S, copy.resolve("k8s"));
        copyTree(ROUTES, copy.resolve("routes"));
        String before = routesVolume(renderFolder(copy.resolve("k8s/overlays/prod")));

        Path model = copy.resolve("routes").resolve("contacts.syncline.yaml");
        Files.writeString(model, Files.readString(model) + "\n# an edit\n");
        String after = routesVolume(renderFolder(copy.resolve("k8s/overlays/prod")));

        assertThat(after).startsWith("syncline-routes-").isNotEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void containerRunsLockedDownWithAWritableTmp(String overlay) {
        V1Deployment deployment = deployment(overlay);
        V1Container container = container(deployment);

        assertThat(podSpec(deployment).getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(podSpec(deployment).getAutomountServiceAccountToken()).isFalse();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        // A read-only root file system leaves the JVM no temp directory unless /tmp is mounted.
        assertThat(volume(podSpec(deployment), mountAt(container, "/tmp").getName()).getEmptyDir()).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void aStoppingPodDrainsBeforeItsGracefulStopWhichTheGracePeriodCovers(String overlay) {
        V1PodSpec pod = podSpec(deployment(overlay));
        long preStop = container(deployment(overlay)).getLifecycle().getPreStop().getSleep().getSeconds();
        long camelShutdown = new DefaultShutdownStrategy().getTimeUnit().toSeconds(new DefaultShutdownStrategy().getTimeout());

        assertThat(preStop).as("preStop delay while endpoints are removed").isBetween(5L, 30L);
        assertThat(pod.getTerminationGracePeriodSeconds()).as("terminationGracePeriodSeconds")
                .isGreaterThanOrEqualTo(preStop + camelShutdown + 10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void podsSpreadAcrossNodesAndZones(String overlay) {
        V1Deployment deployment = deployment(overlay);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

        assertThat(podSpec(deployment).getTopologySpreadConstraints())
                .extracting(constraint -> constraint.getTopologyKey())
                .containsExactlyInAnyOrder("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        assertThat(podSpec(deployment).getTopologySpreadConstraints())
                .allSatisfy(constraint -> assertThat(podLabels).containsAllEntriesOf(constraint.getLabelSelector().getMatchLabels()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void onlyTheWebhooksAreExposedWithTlsAndTheApplicationsBodyLimit(String overlay) throws IOException {
        V1Ingress ingress = model(render(overlay), "Ingress", V1Ingress.class);
        String host = ingress.getSpec().getRules().get(0).getHost();

        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> assertThat(rule.getHttp().getPaths())
                .singleElement().satisfies(path -> {
                    assertThat(path.getPath()).isEqualTo("/webhooks");
                    assertThat(path.getPathType()).isEqualTo("Prefix");
                }));
        assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> assertThat(tls.getHosts()).containsExactly(host));
        // ingress-nginx's size (1m = 1 MiB) against Quarkus's (1M = 1 MiB)
        assertThat(ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-body-size").toUpperCase())
                .isEqualTo(applicationProperties().getProperty("quarkus.http.limits.max-body-size").toUpperCase());
        assertThat(Files.readString(ROUTES.resolve("contacts.syncline.yaml"))).contains(": /webhooks/");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theUrlASenderCalledIsTakenFromTheIngressControllerOnlyNotFromAnyCaller(String overlay) {
        List<V1EnvVar> env = container(deployment(overlay)).getEnv();

        // the Ingress ends TLS: the https URL HubSpot signs is the one its X-Forwarded-* headers tell
        assertThat(env(env, "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING").getValue()).isEqualTo("true");
        assertThat(env(env, "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED").getValue()).isEqualTo("true");
        assertThat(env(env, "QUARKUS_HTTP_PROXY_ENABLE_FORWARDED_HOST").getValue()).isEqualTo("true");
        // left out, Quarkus trusts those headers from any address: only the pod network may send them
        assertThat(env(env, "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES").getValue()).isNotBlank()
                .doesNotContain("0.0.0.0/0").doesNotContain("127.0.0.1").doesNotContain("::/0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theNetworkPolicyLetsInTheIngressControllerAndPrometheusAndOutDnsPostgresAndHttps(String overlay) {
        V1NetworkPolicy policy = model(render(overlay), "NetworkPolicy", V1NetworkPolicy.class);

        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).extracting(port -> port.getPort().getIntValue()).containsExactly(8080);
            assertThat(rule.getFrom()).extracting(peer -> peer.getNamespaceSelector().getMatchLabels()
                    .get("kubernetes.io/metadata.name")).containsExactly("ingress-nginx", "monitoring");
        });
        assertThat(policy.getSpec().getEgress().stream().flatMap(rule -> rule.getPorts().stream())
                .map(V1NetworkPolicyPort::getPort).map(port -> port.getIntValue()))
                .contains(53, 5432, 443);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void prometheusScrapesTheApplicationsMetricsPath(String overlay) throws IOException {
        String path = applicationProperties().getProperty("quarkus.micrometer.export.prometheus.path");
        Map<String, String> annotations = deployment(overlay).getSpec().getTemplate().getMetadata().getAnnotations();

        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "8080")
                .containsEntry("prometheus.io/path", path);
        render(overlay).stream().filter(object -> object.path("kind").asText().equals("ServiceMonitor"))
                .forEach(monitor -> assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo(path));
    }

    /**
     * Each alert of the rule (schema drift among them) has its runbook section in docs/reference/alerts.md,
     * named by its annotation, and the alert notifier evaluates the same alert for teams without Prometheus.
     */
    @Test
    void everyAlertHasItsRunbookSectionAndTheNotifiersCondition() throws IOException {
        String runbooks = Files.readString(Path.of("docs", "reference", "alerts.md"));
        String notifier = Files.readString(Path.of("src/main/java/io/syncline/alerting/AlertConditions.java"));
        List<String> alerts = new ArrayList<>();
        spec(render("prod"), "PrometheusRule").path("groups").forEach(group -> group.path("rules").forEach(rule -> {
            String alert = rule.path("alert").asText();
            alerts.add(alert);
            assertThat(rule.at("/annotations/runbook").asText()).as(alert)
                    .isEqualTo("docs/reference/alerts.md#" + alert.toLowerCase(java.util.Locale.ROOT));
            assertThat(runbooks).as("runbook of " + alert).contains("\n## " + alert + "\n", "| `" + alert + "` |");
            assertThat(notifier).as("the notifier's condition of " + alert).containsPattern("AlertRule\\." + alert + "\\b");
        }));
        assertThat(alerts).contains("SynclineSchemaDrift", "SynclineSyncLagHigh", "SynclineFailureSpike",
                "SynclineInboxNotDraining", "SynclineDeadLettersGrowing", "SynclineReviewItemsOverdue",
                "SynclineReconciliationUntrustworthy", "SynclineReconciliationQualityLow");
    }

    /**
     * The autoscalers' inbox metrics are gauges the application registers (KafkaInboxLagTest reads the
     * lag's on /q/metrics in Kafka mode), each with its Prometheus adapter rule in docs/deployment.md.
     */
    @Test
    void theAutoscalersInboxMetricsAreOnesTheApplicationExports() throws IOException {
        Map<String, Path> registeredIn = Map.of(
                "syncline_inbox_depth", Path.of("src/main/java/io/syncline/inbox/InboxGauges.java"),
                "syncline_inbox_kafka_lag", Path.of("src/main/java/io/syncline/inbox/KafkaInboxProbe.java"));
        String guide = Files.readString(Path.of("docs", "deployment.md"));
        List<String> read = new ArrayList<>();
        for (String overlay : OVERLAYS) {
            model(render(overlay), "HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class).getSpec().getMetrics().stream()
                    .filter(metric -> metric.getObject() != null).forEach(metric -> read.add(metric.getObject().getMetric().getName()));
        }
        assertThat(read).containsOnlyOnceElementsOf(registeredIn.keySet()).hasSize(2);
        for (Map.Entry<String, Path> metric : registeredIn.entrySet()) {
            // registered as a gauge: by Micrometer's builder, or bound to a background store count
            assertThat(Files.readString(metric.getValue())).containsPattern("(Gauge\\.builder\\(|StoreReadings\\.bind\\(meters, )\""
                    + Pattern.quote(metric.getKey().replace('_', '.')) + "\"");
            assertThat(guide).contains("seriesQuery: '" + metric.getKey() + "{namespace!=\"\",service!=\"\"}'");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void serviceAndDisruptionBudgetSelectTheDeploymentsPods(String overlay) {
        List<JsonNode> objects = render(overlay);
        V1Deployment deployment = deployment(overlay);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        V1Service service = model(objects, "Service", V1Service.class);
        V1PodDisruptionBudget budget = model(objects, "PodDisruptionBudget", V1PodDisruptionBudget.class);
        V2HorizontalPodAutoscaler autoscaler = model(objects, "HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class);

        assertThat(deployment.getSpec().getReplicas()).as("replicas are the autoscaler's").isNull();
        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getPort()).isEqualTo(8080);
            assertThat(port.getTargetPort().getStrValue()).isEqualTo("http");
        });
        assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        if (autoscaler.getSpec().getMinReplicas() >= 2) {
            assertThat(budget.getSpec().getMinAvailable().getIntValue()).isEqualTo(1);
        } else {
            // one replica: minAvailable 1 would block every node drain
            assertThat(budget.getSpec().getMinAvailable()).isNull();
            assertThat(budget.getSpec().getMaxUnavailable().getIntValue()).isEqualTo(1);
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static List<String> check(List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        objects.forEach(object -> problems.addAll(KubernetesSchema.problems(object)));
        problems.addAll(ManifestReferences.problems(objects, PREREQUISITE_SECRETS));
        return problems;
    }

    static List<JsonNode> render(String overlay) {
        return RENDERED.computeIfAbsent(K8S.resolve("overlays").resolve(overlay), KubernetesManifestsTest::renderFolder);
    }

    /** {@code kubectl kustomize <folder>}, bounded: a kustomize that hangs fails the test. */
    private static List<JsonNode> renderFolder(Path folder) {
        try {
            Path output = Files.createTempFile("kustomize", ".yaml");
            Path errors = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder("kubectl", "kustomize", folder.toString())
                    .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
            if (!process.waitFor(RENDER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + folder + " took more than " + RENDER_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + folder + " failed: " + Files.readString(errors));
            }
            List<JsonNode> objects;
            try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(output.toFile())) {
                objects = documents.readAll().stream().filter(document -> document.isObject()).toList();
            }
            Files.delete(output);
            Files.delete(errors);
            return objects;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<JsonNode> copy(List<JsonNode> objects) {
        return objects.stream().<JsonNode>map(JsonNode::deepCopy).toList();
    }

    private static JsonNode first(List<JsonNode> objects, String kind) {
        return objects.stream().filter(object -> object.path("kind").asText().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind));
    }

    private static ObjectNode spec(List<JsonNode> objects, String kind) {
        return (ObjectNode) first(objects, kind).path("spec");
    }

    private static JsonNode podTemplate(List<JsonNode> objects) {
        return spec(objects, "Deployment").path("template");
    }

    private static ObjectNode container(List<JsonNode> objects) {
        return (ObjectNode) podTemplate(objects).at("/spec/containers/0");
    }

    private static ObjectNode port(List<JsonNode> objects) {
        return (ObjectNode) container(objects).at("/ports/0");
    }

    private static JsonNode named(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(object -> object.path("kind").asText().equals(kind))
                .filter(object -> object.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    /** The configMapKeyRef that sets {@code variable} in the Deployment's container. */
    private static ObjectNode configMapRef(List<JsonNode> objects, String variable) {
        for (JsonNode env : container(objects).path("env")) {
            if (env.path("name").asText().equals(variable)) {
                return (ObjectNode) env.at("/valueFrom/configMapKeyRef");
            }
        }
        throw new AssertionError("no env var " + variable);
    }

    /** The objects other than the Kafka mode's: its ConfigMap, and the Deployment, autoscaler and policy it changes. */
    private static List<JsonNode> withoutKafkaParts(List<JsonNode> objects) {
        return objects.stream()
                .filter(object -> !Set.of("Deployment", "HorizontalPodAutoscaler", "NetworkPolicy").contains(object.path("kind").asText()))
                .filter(object -> !object.at("/metadata/name").asText().startsWith("syncline-kafka-"))
                .toList();
    }

    private static ObjectNode alert(List<JsonNode> objects) {
        return (ObjectNode) spec(objects, "PrometheusRule").at("/groups/0/rules/0");
    }

    private static ObjectNode endpoint(List<JsonNode> objects) {
        return (ObjectNode) spec(objects, "ServiceMonitor").at("/endpoints/0");
    }

    private static <T> T model(List<JsonNode> objects, String kind, Class<T> type) {
        return type.cast(KubernetesSchema.validate(first(objects, kind)));
    }

    private static V1Deployment deployment(String overlay) {
        return model(render(overlay), "Deployment", V1Deployment.class);
    }

    private static String routesVolume(List<JsonNode> objects) {
        for (JsonNode volume : podTemplate(objects).at("/spec/volumes")) {
            if (volume.path("name").asText().equals("routes")) {
                return volume.at("/configMap/name").asText();
            }
        }
        throw new AssertionError("no volume routes");
    }

    private static List<String> routeFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".camel.yaml") || name.endsWith(".syncline.yaml"))
                    .toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static V1PodSpec podSpec(V1Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec();
    }

    private static V1Container container(V1Deployment deployment) {
        assertThat(podSpec(deployment).getContainers()).hasSize(1);
        return podSpec(deployment).getContainers().get(0);
    }

    private static void assertProbe(V1Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrValue()).isEqualTo("http");
    }

    private static V1EnvVar env(List<V1EnvVar> env, String name) {
        return env.stream().filter(var -> var.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no env var " + name));
    }

    /** "secret/key" of the secretKeyRef that sets {@code name}. */
    private static String secretKey(List<V1EnvVar> env, String name) {
        V1EnvVar var = env(env, name);
        assertThat(var.getValue()).as("literal value of %s", name).isNull();
        V1SecretKeySelector selector = var.getValueFrom().getSecretKeyRef();
        return selector.getName() + "/" + selector.getKey();
    }

    /** "configmap/key" of the configMapKeyRef that sets {@code name}. */
    private static String configMapKey(List<V1EnvVar> env, String name) {
        V1EnvVar var = env(env, name);
        assertThat(var.getValue()).as("literal value of %s", name).isNull();
        var selector = var.getValueFrom().getConfigMapKeyRef();
        assertThat(selector).as("configMapKeyRef of %s", name).isNotNull();
        return selector.getName() + "/" + selector.getKey();
    }

    private static V1VolumeMount mountAt(V1Container container, String path) {
        return container.getVolumeMounts().stream().filter(mount -> mount.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    private static V1Volume volume(V1PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(volume -> volume.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = KubernetesManifestsTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        return properties;
    }
}
