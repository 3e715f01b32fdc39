package io.syncline.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The manifests in {@code k8s/} cannot be applied to a cluster here, so they are checked against
 * the Kubernetes API schema and against what the application expects (health paths, where route
 * files are read, which settings must come from the Secret).
 */
class KubernetesManifestsTest {

    private static final Path MANIFESTS = Path.of("k8s");
    private static final String KUSTOMIZATION = "kustomization.yaml";
    private static final YAMLMapper YAML = new YAMLMapper();

    record Manifest(String file, JsonNode document) {
        @Override
        public String toString() {
            return file + " " + document.path("kind").asText();
        }
    }

    static List<Manifest> manifests() throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        for (Path file : manifestFiles()) {
            try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
                documents.readAll().stream()
                        .filter(document -> !document.isNull() && !document.isMissingNode())
                        .forEach(document -> manifests.add(new Manifest(file.getFileName().toString(), document)));
            }
        }
        return manifests;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void everyManifestMatchesTheKubernetesSchema(Manifest manifest) throws IOException {
        assertThat(KubernetesSchema.validate(manifest.document())).isNotNull();
    }

    @Test
    void kustomizationListsEveryManifestFile() throws IOException {
        JsonNode kustomization = YAML.readTree(MANIFESTS.resolve(KUSTOMIZATION).toFile());
        List<String> resources = new ArrayList<>();
        kustomization.path("resources").forEach(resource -> resources.add(resource.asText()));

        List<String> files = manifestFiles().stream().map(file -> file.getFileName().toString()).toList();
        assertThat(files).contains("deployment.yaml", "service.yaml", "poddisruptionbudget.yaml");
        assertThat(resources).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void probesUseTheQuarkusHealthEndpointsOnTheHttpPort() throws IOException {
        V1Container container = container(deployment());

        assertThat(container.getPorts()).anySatisfy(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(8080);
        });
        assertProbe(container.getStartupProbe(), "/q/health/started");
        assertProbe(container.getLivenessProbe(), "/q/health/live");
        assertProbe(container.getReadinessProbe(), "/q/health/ready");
    }

    @Test
    void databaseCredentialsComeFromTheSecret() throws IOException {
        List<V1EnvVar> env = container(deployment()).getEnv();

        assertThat(secretKey(env, "QUARKUS_DATASOURCE_JDBC_URL")).isEqualTo("url");
        assertThat(secretKey(env, "QUARKUS_DATASOURCE_USERNAME")).isEqualTo("username");
        assertThat(secretKey(env, "QUARKUS_DATASOURCE_PASSWORD")).isEqualTo("password");
        assertThat(env)
                .filteredOn(var -> var.getName().matches(".*(PASSWORD|SECRET|TOKEN|KEY).*"))
                .allSatisfy(var -> assertThat(var.getValue())
                        .as("literal value of %s", var.getName()).isNull());
        assertThat(manifests()).extracting(manifest -> manifest.document().path("kind").asText())
                .doesNotContain("Secret");
    }

    @Test
    void routesConfigMapIsMountedWhereTheApplicationReadsRouteFiles() throws IOException {
        V1Deployment deployment = deployment();
        V1Container container = container(deployment);
        String routesLocation = env(container.getEnv(), "SYNCLINE_ROUTES_LOCATION").getValue();

        V1VolumeMount mount = mountAt(container, routesLocation);
        assertThat(mount.getReadOnly()).isTrue();
        assertThat(volume(podSpec(deployment), mount.getName()).getConfigMap().getName())
                .isEqualTo("syncline-routes");
    }

    @Test
    void containerRunsLockedDownWithAWritableTmp() throws IOException {
        V1Deployment deployment = deployment();
        V1Container container = container(deployment);

        assertThat(podSpec(deployment).getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        // A read-only root file system leaves the JVM no temp directory unless /tmp is mounted.
        assertThat(volume(podSpec(deployment), mountAt(container, "/tmp").getName()).getEmptyDir()).isNotNull();
    }

    @Test
    void prometheusScrapesTheApplicationsMetricsPath() throws IOException {
        Map<String, String> annotations = deployment().getSpec().getTemplate().getMetadata().getAnnotations();

        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "8080")
                .containsEntry("prometheus.io/path",
                        applicationProperties().getProperty("quarkus.micrometer.export.prometheus.path"));
    }

    @Test
    void serviceAndDisruptionBudgetSelectTheDeploymentsPods() throws IOException {
        V1Deployment deployment = deployment();
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        V1Service service = load("service.yaml", V1Service.class);
        V1PodDisruptionBudget budget = load("poddisruptionbudget.yaml", V1PodDisruptionBudget.class);

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getPort()).isEqualTo(8080);
            assertThat(port.getTargetPort().getStrValue()).isEqualTo("http");
        });
        assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMinAvailable().getIntValue()).isEqualTo(1);
    }

    // The validator must be able to fail, or every test above passes vacuously.

    @Test
    void misspelledFieldIsRejected() throws IOException {
        JsonNode broken = YAML.readTree(deploymentText("  replicas: 2", "  replicass: 2"));

        assertThatThrownBy(() -> KubernetesSchema.validate(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`replicass`")
                .hasMessageContaining("V1DeploymentSpec");
    }

    @Test
    void missingRequiredFieldIsRejected() throws IOException {
        JsonNode broken = YAML.readTree(MANIFESTS.resolve("deployment.yaml").toFile());
        ((ObjectNode) broken.at("/spec/template/spec/containers/0")).remove("name");

        assertThatThrownBy(() -> KubernetesSchema.validate(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("required field `name`");
    }

    @Test
    void unquotedAnnotationValueIsRejected() throws IOException {
        JsonNode broken = YAML.readTree(deploymentText("prometheus.io/scrape: \"true\"", "prometheus.io/scrape: true"));

        assertThatThrownBy(() -> KubernetesSchema.validate(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(".annotations.prometheus.io/scrape");
    }

    private static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".yaml"))
                    .filter(file -> !file.getFileName().toString().equals(KUSTOMIZATION))
                    .sorted()
                    .toList();
        }
    }

    private static <T> T load(String file, Class<T> type) throws IOException {
        return type.cast(KubernetesSchema.validate(YAML.readTree(MANIFESTS.resolve(file).toFile())));
    }

    private static V1Deployment deployment() throws IOException {
        return load("deployment.yaml", V1Deployment.class);
    }

    private static String deploymentText(String original, String replacement) throws IOException {
        String text = Files.readString(MANIFESTS.resolve("deployment.yaml"));
        assertThat(text).contains(original);
        return text.replace(original, replacement);
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

    private static String secretKey(List<V1EnvVar> env, String name) {
        V1EnvVar var = env(env, name);
        assertThat(var.getValue()).as("literal value of %s", name).isNull();
        V1SecretKeySelector selector = var.getValueFrom().getSecretKeyRef();
        assertThat(selector.getName()).isEqualTo("syncline-db");
        return selector.getKey();
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
