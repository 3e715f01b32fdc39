package io.syncline.k8s;

import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), which the Kubernetes
 * client has no model for: the fields Syncline uses and their common neighbours, from the
 * operator's CRD, written the way the client's models are so that {@link KubernetesSchema} walks
 * them alike. A field not declared here is reported as unknown, as the CRD's structural schema
 * would prune or refuse it.
 */
final class ServiceMonitorSchema {

    /** The CRD's pattern for interval and scrapeTimeout. */
    static final Pattern DURATION =
            Pattern.compile("^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$");

    private ServiceMonitorSchema() {
    }

    static final class ServiceMonitor {

        static final Set<String> openapiRequiredFields = Set.of("apiVersion", "kind", "spec");

        @SerializedName("apiVersion")
        String apiVersion;
        @SerializedName("kind")
        String kind;
        @SerializedName("metadata")
        V1ObjectMeta metadata;
        @SerializedName("spec")
        Spec spec;
    }

    static final class Spec {

        static final Set<String> openapiRequiredFields = Set.of("selector");

        @SerializedName("selector")
        V1LabelSelector selector;
        @SerializedName("namespaceSelector")
        NamespaceSelector namespaceSelector;
        @SerializedName("endpoints")
        List<Endpoint> endpoints;
        @SerializedName("jobLabel")
        String jobLabel;
        @SerializedName("targetLabels")
        List<String> targetLabels;
        @SerializedName("podTargetLabels")
        List<String> podTargetLabels;
        @SerializedName("sampleLimit")
        Long sampleLimit;
    }

    static final class NamespaceSelector {

        @SerializedName("any")
        Boolean any;
        @SerializedName("matchNames")
        List<String> matchNames;
    }

    static final class Endpoint {

        @SerializedName("port")
        String port;
        @SerializedName("targetPort")
        IntOrString targetPort;
        @SerializedName("path")
        String path;
        @SerializedName("scheme")
        String scheme;
        @SerializedName("interval")
        String interval;
        @SerializedName("scrapeTimeout")
        String scrapeTimeout;
        @SerializedName("honorLabels")
        Boolean honorLabels;
        @SerializedName("honorTimestamps")
        Boolean honorTimestamps;
    }
}
