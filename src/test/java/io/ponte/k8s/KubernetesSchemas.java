package io.ponte.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Offline schema check of rendered objects, so that a misspelt or misplaced field fails the build
 * instead of being dropped (or refused) by the API server at deploy time.
 *
 * <ul>
 *   <li>Kubernetes kinds and the Prometheus Operator's ServiceMonitor: read into fabric8's typed
 *       API model (generated from the OpenAPI schemas of Kubernetes and of the operator). A wrong
 *       type fails the read; a field the schema does not have lands in the model's
 *       "additionalProperties", which this class reports as an unknown field, at every depth. It
 *       does not check enumerations (e.g. a misspelt {@code policyTypes} value) or required fields.
 *   <li>Operator resources (CloudNativePG Cluster and ScheduledBackup, Keycloak): no model here, so
 *       a hand-written subset of their CRD schemas, {@link #CRDS}: only the fields these manifests
 *       use, transcribed from the CRD references (cloudnative-pg.io/documentation, keycloak.org
 *       operator guide), with their types and the fields the CRDs require. A field outside the
 *       subset fails even if the real CRD had it: add it here after checking the reference.
 * </ul>
 *
 * An object of any other kind fails: every kind the overlays render must be checked.
 */
final class KubernetesSchemas {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final Map<String, Class<? extends KubernetesResource>> MODELS =
      Map.ofEntries(
          Map.entry("v1/Namespace", Namespace.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
          Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
          Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

  // ---- the CRD subset ------------------------------------------------------------------------

  /** A schema node: a JSON type, and for objects their fields and required ones. */
  record Schema(String type, Map<String, Schema> fields, Set<String> required, Schema items) {}

  static Schema str() {
    return new Schema("string", null, Set.of(), null);
  }

  static Schema integer() {
    return new Schema("integer", null, Set.of(), null);
  }

  static Schema bool() {
    return new Schema("boolean", null, Set.of(), null);
  }

  /** A map of strings (labels, annotations, PostgreSQL parameters). */
  static Schema strings() {
    return new Schema("map", null, Set.of(), str());
  }

  /** An object with the given fields ("name", schema, ...); a field named "!x" is required. */
  static Schema obj(Object... nameAndSchema) {
    Map<String, Schema> fields = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (int i = 0; i < nameAndSchema.length; i += 2) {
      String name = (String) nameAndSchema[i];
      if (name.startsWith("!")) {
        name = name.substring(1);
        required.add(name);
      }
      fields.put(name, (Schema) nameAndSchema[i + 1]);
    }
    return new Schema("object", fields, Set.copyOf(required), null);
  }

  private static Schema secretKey() {
    return obj("!name", str(), "!key", str());
  }

  private static Schema metadata() {
    return obj("!name", str(), "namespace", str(), "labels", strings(), "annotations", strings());
  }

  private static Schema resource(Schema spec) {
    return obj("!apiVersion", str(), "!kind", str(), "!metadata", metadata(), "!spec", spec);
  }

  private static final Schema BARMAN_OBJECT_STORE =
      obj(
          "!destinationPath",
          str(),
          "azureCredentials",
          obj(
              "connectionString",
              secretKey(),
              "storageAccount",
              secretKey(),
              "storageKey",
              secretKey()),
          "wal",
          obj("compression", str(), "maxParallel", integer()),
          "data",
          obj("compression", str(), "jobs", integer()));

  /** postgresql.cnpg.io/v1 Cluster and ScheduledBackup, k8s.keycloak.org/v2alpha1 Keycloak. */
  static final Map<String, Schema> CRDS =
      Map.of(
          "postgresql.cnpg.io/v1/Cluster",
          resource(
              obj(
                  "!instances",
                  integer(),
                  "imageName",
                  str(),
                  "inheritedMetadata",
                  obj("labels", strings(), "annotations", strings()),
                  "bootstrap",
                  obj(
                      "initdb",
                      obj("database", str(), "owner", str(), "secret", obj("!name", str()))),
                  "storage",
                  obj("size", str(), "storageClass", str()),
                  "postgresql",
                  obj("parameters", strings()),
                  "backup",
                  obj("retentionPolicy", str(), "barmanObjectStore", BARMAN_OBJECT_STORE),
                  "monitoring",
                  obj("enablePodMonitor", bool()))),
          "postgresql.cnpg.io/v1/ScheduledBackup",
          resource(obj("!schedule", str(), "!cluster", obj("!name", str()))),
          "k8s.keycloak.org/v2alpha1/Keycloak",
          resource(
              obj(
                  "instances",
                  integer(),
                  "db",
                  obj(
                      "!vendor",
                      str(),
                      "host",
                      str(),
                      "port",
                      integer(),
                      "database",
                      str(),
                      "usernameSecret",
                      secretKey(),
                      "passwordSecret",
                      secretKey()),
                  "http",
                  obj("tlsSecret", str(), "httpEnabled", bool()),
                  "hostname",
                  obj("hostname", str(), "strict", bool()),
                  "proxy",
                  obj("headers", str()),
                  "ingress",
                  obj("enabled", bool(), "className", str()))));

  private KubernetesSchemas() {}

  /** Problems found in one rendered object; empty when it conforms. */
  static List<String> check(JsonNode object) {
    String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    String where = type + " " + object.path("metadata").path("name").asText();
    List<String> problems = new ArrayList<>();
    Class<? extends KubernetesResource> model = MODELS.get(type);
    Schema crd = CRDS.get(type);
    if (model != null) {
      try {
        unknownFields(MAPPER.treeToValue(object, model), where, problems);
      } catch (Exception e) {
        problems.add(where + ": " + e.getMessage());
      }
    } else if (crd != null) {
      check(object, crd, where, problems);
    } else {
      problems.add(where + ": no schema for this kind (add one to KubernetesSchemas)");
    }
    return problems;
  }

  private static void check(JsonNode value, Schema schema, String path, List<String> problems) {
    switch (schema.type()) {
      case "string" -> {
        if (!value.isTextual()) {
          problems.add(path + ": expected a string, got " + value.getNodeType());
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          problems.add(path + ": expected an integer, got " + value.getNodeType());
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          problems.add(path + ": expected a boolean, got " + value.getNodeType());
        }
      }
      case "map" -> {
        if (!value.isObject()) {
          problems.add(path + ": expected a map, got " + value.getNodeType());
          return;
        }
        value
            .fields()
            .forEachRemaining(
                e -> check(e.getValue(), schema.items(), path + "." + e.getKey(), problems));
      }
      default -> {
        if (!value.isObject()) {
          problems.add(path + ": expected an object, got " + value.getNodeType());
          return;
        }
        for (String required : schema.required()) {
          if (!value.has(required)) {
            problems.add(path + ": required field " + required + " missing");
          }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          Schema fieldSchema = schema.fields().get(field.getKey());
          if (fieldSchema == null) {
            problems.add(path + ": unknown field " + field.getKey());
          } else {
            check(field.getValue(), fieldSchema, path + "." + field.getKey(), problems);
          }
        }
      }
    }
  }

  /** Walks the typed model: every non-empty additionalProperties is a field the schema lacks. */
  private static void unknownFields(Object model, String path, List<String> problems)
      throws ReflectiveOperationException {
    if (model == null) {
      return;
    }
    if (model instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        unknownFields(item, path + "[" + i++ + "]", problems);
      }
      return;
    }
    if (model instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        unknownFields(e.getValue(), path + "." + e.getKey(), problems);
      }
      return;
    }
    if (!model.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : model.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value = getter.invoke(model);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          problems.add(path + ": unknown field(s) " + extra.keySet());
        }
      } else {
        unknownFields(value, path + "." + field(getter.getName()), problems);
      }
    }
  }

  private static String field(String getter) {
    return Character.toLowerCase(getter.charAt(3)) + getter.substring(4);
  }
}
