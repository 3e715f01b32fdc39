package io.syncline.k8s;

import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Prometheus Operator's PrometheusRule (monitoring.coreos.com/v1), which the Kubernetes client
 * has no model for: its fields from the operator's CRD, written the way the client's models are so
 * that {@link KubernetesSchema} walks them alike; a field not declared here is unknown.
 */
final class PrometheusRuleSchema {

    private PrometheusRuleSchema() {
    }

    static final class PrometheusRule {

        static final Set<String> openapiRequiredFields = Set.of("apiVersion", "kind", "spec");

        @SerializedName("apiVersion")
        String apiVersion;
        @SerializedName("kind")
        String kind;
        @SerializedName("metadata")
        V1ObjectMeta metadata;
        @SerializedName("spec")
        RuleSpec spec;
    }

    static final class RuleSpec {

        @SerializedName("groups")
        List<RuleGroup> groups;
    }

    static final class RuleGroup {

        static final Set<String> openapiRequiredFields = Set.of("name");

        @SerializedName("name")
        String name;
        @SerializedName("interval")
        String interval;
        @SerializedName("query_offset")
        String queryOffset;
        @SerializedName("limit")
        Integer limit;
        @SerializedName("partial_response_strategy")
        String partialResponseStrategy;
        @SerializedName("rules")
        List<Rule> rules;
    }

    static final class Rule {

        static final Set<String> openapiRequiredFields = Set.of("expr");

        @SerializedName("alert")
        String alert;
        @SerializedName("record")
        String record;
        @SerializedName("expr")
        IntOrString expr;
        @SerializedName("for")
        String forDuration;
        @SerializedName("keep_firing_for")
        String keepFiringFor;
        @SerializedName("labels")
        Map<String, String> labels;
        @SerializedName("annotations")
        Map<String, String> annotations;
    }
}
