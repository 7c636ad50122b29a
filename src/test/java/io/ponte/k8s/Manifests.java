package io.ponte.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rendered objects of one kustomization, with the few lookups the assertions need: resolving a
 * container's environment (env, configMapKeyRef, envFrom) and its {@code $(VAR)} arguments the way
 * the kubelet does, and label selection.
 */
record Manifests(String source, List<JsonNode> objects) {

  static final String COMPONENT = "app.kubernetes.io/component";
  private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
  }

  /** Deployments and StatefulSets. */
  List<JsonNode> workloads() {
    List<JsonNode> workloads = new ArrayList<>(ofKind("Deployment"));
    workloads.addAll(ofKind("StatefulSet"));
    return workloads;
  }

  List<JsonNode> workloads(String component) {
    return workloads().stream().filter(w -> component.equals(podLabels(w).get(COMPONENT))).toList();
  }

  static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  static JsonNode podSpec(JsonNode workload) {
    return workload.path("spec").path("template").path("spec");
  }

  static String envName(JsonNode env) {
    return env.path("name").asText();
  }

  static Map<String, String> podLabels(JsonNode workload) {
    return strings(workload.path("spec").path("template").path("metadata").path("labels"));
  }

  static List<JsonNode> containers(JsonNode workload) {
    List<JsonNode> containers = new ArrayList<>();
    podSpec(workload).path("containers").forEach(containers::add);
    return containers;
  }

  static Map<String, String> strings(JsonNode object) {
    Map<String, String> map = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), e.getValue().asText());
    }
    return map;
  }

  static List<String> texts(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  /** A non-empty selector selects a pod when every one of its labels is on the pod. */
  static boolean selects(JsonNode matchLabels, Map<String, String> podLabels) {
    Map<String, String> wanted = strings(matchLabels);
    return !wanted.isEmpty()
        && wanted.entrySet().stream().allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())));
  }

  /**
   * The value a container sees for {@code variable}: a literal, a ConfigMap key (by env or
   * envFrom), or {@code <secret name/key>} for a secretKeyRef. Empty when the variable is not set.
   */
  Optional<String> env(JsonNode container, String variable) {
    for (JsonNode env : container.path("env")) {
      if (!variable.equals(env.path("name").asText())) {
        continue;
      }
      if (env.has("value")) {
        return Optional.of(env.path("value").asText());
      }
      JsonNode configMapRef = env.path("valueFrom").path("configMapKeyRef");
      if (!configMapRef.isMissingNode()) {
        return configMapValue(
            configMapRef.path("name").asText(), configMapRef.path("key").asText());
      }
      JsonNode secretRef = env.path("valueFrom").path("secretKeyRef");
      if (!secretRef.isMissingNode()) {
        return Optional.of(
            "<secret "
                + secretRef.path("name").asText()
                + "/"
                + secretRef.path("key").asText()
                + ">");
      }
    }
    for (JsonNode from : container.path("envFrom")) {
      JsonNode ref = from.path("configMapRef");
      if (!ref.isMissingNode()) {
        Optional<String> value = configMapValue(ref.path("name").asText(), variable);
        if (value.isPresent()) {
          return value;
        }
      }
    }
    return Optional.empty();
  }

  Optional<String> configMapValue(String configMap, String key) {
    return find("ConfigMap", configMap)
        .map(cm -> cm.path("data").path(key))
        .filter(v -> !v.isMissingNode())
        .map(JsonNode::asText);
  }

  /** The container's arguments after the kubelet's {@code $(VAR)} expansion. */
  List<String> expandedArgs(JsonNode container) {
    List<String> args = new ArrayList<>();
    for (String arg : texts(container.path("args"))) {
      Matcher m = VARIABLE.matcher(arg);
      StringBuilder expanded = new StringBuilder();
      while (m.find()) {
        // Like the kubelet: an unresolvable reference stays as written.
        String value = env(container, m.group(1)).orElse(m.group());
        m.appendReplacement(expanded, Matcher.quoteReplacement(value));
      }
      m.appendTail(expanded);
      args.add(expanded.toString());
    }
    return args;
  }

  /** The containerPort a probe or Service port names (by port name or number). */
  static Optional<Integer> containerPort(JsonNode container, JsonNode port) {
    for (JsonNode p : container.path("ports")) {
      if (port.isInt()
          ? p.path("containerPort").asInt() == port.asInt()
          : port.asText().equals(p.path("name").asText())) {
        return Optional.of(p.path("containerPort").asInt());
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return source;
  }
}
