package io.ponte.k8s;

import static io.ponte.k8s.Manifests.COMPONENT;
import static io.ponte.k8s.Manifests.containerPort;
import static io.ponte.k8s.Manifests.containers;
import static io.ponte.k8s.Manifests.name;
import static io.ponte.k8s.Manifests.podLabels;
import static io.ponte.k8s.Manifests.podSpec;
import static io.ponte.k8s.Manifests.selects;
import static io.ponte.k8s.Manifests.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ponte.testing.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders k8s/base and k8s/overlays/demo with {@code kubectl kustomize} (offline) and checks the
 * objects Kubernetes would receive, not the source files: a patch or overlay that breaks a rule
 * fails here.
 */
class KustomizeRenderTest {

  static final Path BASE = Path.of("k8s", "base");
  static final Path DEMO = Path.of("k8s", "overlays", "demo");
  static final Set<String> SITES = Set.of("hospital-a", "hospital-b");

  /** Environment variables that carry credentials: they must come from a Secret. */
  static final Pattern SECRET_NAME =
      Pattern.compile(".*(PASSWORD|SECRET|CONNECTION_STRING|TOKEN|_KEY).*");

  /** Values that look like credentials, wherever they appear in plain text. */
  static final Pattern SECRET_VALUE =
      Pattern.compile("(?i).*(AccountKey=|SharedAccessSignature=|password=|-secret\\b).*");

  private static final Map<Path, Manifests> RENDERED = new HashMap<>();
  private static Kustomize kustomize;

  @BeforeAll
  static void findKubectl() {
    kustomize = Kustomize.find().orElse(null);
  }

  static synchronized Manifests rendered(Path kustomization) throws Exception {
    // Per test, so that each one is reported as skipped (failed under CI), never silently not run.
    Peers.require(kustomize != null, "kubectl (Debian: kubernetes-client), to render k8s/");
    Manifests manifests = RENDERED.get(kustomization);
    if (manifests == null) {
      manifests = new Manifests(kustomization.toString(), kustomize.render(kustomization));
      RENDERED.put(kustomization, manifests);
    }
    return manifests;
  }

  static Stream<Path> kustomizations() {
    return Stream.of(BASE, DEMO);
  }

  // ---- rules for every kustomization ------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("kustomizations")
  void hubRunsServeRoleHub(Path kustomization) throws Exception {
    Manifests m = rendered(kustomization);
    List<JsonNode> hubs = m.workloads("hub");
    assertThat(hubs).as("hub workloads").hasSize(1);
    assertThat(hubs.get(0).path("kind").asText()).isEqualTo("Deployment");
    assertThat(containers(hubs.get(0)))
        .singleElement()
        .satisfies(
            c -> assertThat(texts(c.path("args"))).containsExactly("serve", "--role", "hub"));
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void nodesRunServeRoleNodeWithTheirSite(Path kustomization) throws Exception {
    Manifests m = rendered(kustomization);
    List<JsonNode> nodes = m.workloads("node");
    assertThat(nodes)
        .as("node workloads")
        .isNotEmpty()
        .allSatisfy(n -> assertThat(n.path("kind").asText()).isEqualTo("StatefulSet"));
    for (JsonNode node : nodes) {
      JsonNode container = containers(node).get(0);
      String site =
          m.env(container, "PONTE_SITE")
              .orElseThrow(() -> new AssertionError(name(node) + " has no PONTE_SITE"));
      assertThat(site).as("site of " + name(node)).matches("[a-z0-9][a-z0-9-]*");
      assertThat(m.expandedArgs(container))
          .as("args of " + name(node))
          .containsExactly("serve", "--role", "node", "--site", site);
    }
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void probesAskHealthOnThePortTheAppListensOn(Path kustomization) throws Exception {
    Manifests m = rendered(kustomization);
    for (JsonNode workload : m.workloads()) {
      for (JsonNode c : containers(workload)) {
        String where = name(workload) + "/" + c.path("name").asText();
        int httpPort = Integer.parseInt(m.env(c, "PONTE_HTTP_PORT").orElse("8080"));
        assertThat(probe(c, "livenessProbe")).as(where + " liveness").isEqualTo("/q/health/live");
        assertThat(probe(c, "readinessProbe"))
            .as(where + " readiness")
            .isEqualTo("/q/health/ready");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
          JsonNode port = c.path(probe).path("httpGet").path("port");
          if (!port.isMissingNode()) {
            assertThat(containerPort(c, port)).as(where + " " + probe + " port").contains(httpPort);
          }
        }
      }
    }
  }

  private static String probe(JsonNode container, String probe) {
    return container.path(probe).path("httpGet").path("path").asText(null);
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void nodesKeepTheirCacheOnAClaimedVolume(Path kustomization) throws Exception {
    Manifests m = rendered(kustomization);
    for (JsonNode node : m.workloads("node")) {
      JsonNode container = containers(node).get(0);
      String cacheDir =
          m.env(container, "PONTE_NODE_CACHE_DIR")
              .orElseThrow(() -> new AssertionError(name(node) + " has no PONTE_NODE_CACHE_DIR"));
      JsonNode mount =
          stream(container.path("volumeMounts"))
              .filter(v -> cacheDir.equals(v.path("mountPath").asText()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(name(node) + " mounts nothing at " + cacheDir));
      String volume = mount.path("name").asText();
      assertThat(stream(node.path("spec").path("volumeClaimTemplates")).map(Manifests::name))
          .as(name(node) + " claim templates")
          .contains(volume);
      assertThat(stream(podSpec(node).path("volumes")).map(Manifests::name))
          .as("the cache must not be a pod volume (emptyDir dies with the pod)")
          .doesNotContain(volume);
      assertThat(mount.path("readOnly").asBoolean(false)).isFalse();
      // Acknowledged instances not yet in Blob live only there.
      assertThat(
              node.path("spec")
                  .path("persistentVolumeClaimRetentionPolicy")
                  .path("whenDeleted")
                  .asText())
          .isEqualTo("Retain");
    }
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void nodesExposeDimseAndHttpThroughAService(Path kustomization) throws Exception {
    Manifests m = rendered(kustomization);
    for (JsonNode node : m.workloads("node")) {
      JsonNode container = containers(node).get(0);
      assertThat(containerPort(container, textNode("dimse")))
          .as(name(node) + " dimse port")
          .contains(11112);
      List<JsonNode> services =
          m.ofKind("Service").stream()
              .filter(s -> selects(s.path("spec").path("selector"), podLabels(node)))
              .filter(s -> !"None".equals(s.path("spec").path("clusterIP").asText()))
              .toList();
      assertThat(services).as("Services of " + name(node)).isNotEmpty();
      for (JsonNode service : services) {
        Set<Integer> targets =
            stream(service.path("spec").path("ports"))
                .map(p -> containerPort(container, p.path("targetPort")).orElse(-1))
                .collect(Collectors.toSet());
        assertThat(targets).as(name(service) + " targets").contains(11112, 8080);
      }
      assertThat(node.path("spec").path("serviceName").asText())
          .as("governing Service of " + name(node))
          .satisfies(governing -> assertThat(m.find("Service", governing)).isPresent());
    }
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void podsRunAsNonRootOnAReadOnlyRootWithoutCapabilities(Path kustomization) throws Exception {
    Manifests m = rendered(kustomization);
    assertThat(m.workloads()).isNotEmpty();
    for (JsonNode workload : m.workloads()) {
      JsonNode pod = podSpec(workload);
      assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean(false))
          .as(name(workload) + " runAsNonRoot")
          .isTrue();
      assertThat(pod.path("securityContext").path("runAsUser").asInt(0))
          .as(name(workload) + " runAsUser")
          .isPositive();
      assertThat(pod.path("automountServiceAccountToken").asBoolean(true))
          .as(name(workload) + " SA token")
          .isFalse();
      // Service links would inject PONTE_HUB_PORT=tcp://..., read by SmallRye Config as a setting.
      assertThat(pod.path("enableServiceLinks").asBoolean(true))
          .as(name(workload) + " service links")
          .isFalse();
      for (JsonNode c : containers(workload)) {
        JsonNode sc = c.path("securityContext");
        String where = name(workload) + "/" + c.path("name").asText();
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean(false))
            .as(where + " read-only root")
            .isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true))
            .as(where + " privilege escalation")
            .isFalse();
        assertThat(texts(sc.path("capabilities").path("drop")))
            .as(where + " dropped capabilities")
            .contains("ALL");
        assertThat(texts(sc.path("capabilities").path("add")))
            .as(where + " added capabilities")
            .isEmpty();
        String tmpVolume =
            stream(c.path("volumeMounts"))
                .filter(v -> "/tmp".equals(v.path("mountPath").asText()))
                .map(Manifests::name)
                .findFirst()
                .orElseThrow(() -> new AssertionError(where + " has no /tmp"));
        assertThat(stream(pod.path("volumes")).filter(v -> tmpVolume.equals(name(v))))
            .as(where + " /tmp volume")
            .singleElement()
            .satisfies(v -> assertThat(v.has("emptyDir")).isTrue());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void containersRequestAndLimitCpuAndMemory(Path kustomization) throws Exception {
    Manifests m = rendered(kustomization);
    for (JsonNode workload : m.workloads()) {
      for (JsonNode c : containers(workload)) {
        JsonNode resources = c.path("resources");
        String where = name(workload) + "/" + c.path("name").asText();
        for (String kind : List.of("requests", "limits")) {
          for (String resource : List.of("cpu", "memory")) {
            assertThat(resources.path(kind).path(resource).asText(""))
                .as(where + " " + kind + "." + resource)
                .isNotEmpty();
          }
        }
        assertThat(bytes(resources.path("requests").path("memory").asText()))
            .as(where + " memory request <= limit")
            .isLessThanOrEqualTo(bytes(resources.path("limits").path("memory").asText()));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void hubHasADisruptionBudgetThatAllowsDrains(Path kustomization) throws Exception {
    Manifests m = rendered(kustomization);
    JsonNode hub = m.workloads("hub").get(0);
    List<JsonNode> budgets =
        m.ofKind("PodDisruptionBudget").stream()
            .filter(
                p -> selects(p.path("spec").path("selector").path("matchLabels"), podLabels(hub)))
            .toList();
    assertThat(budgets)
        .as("PDB of the hub")
        .singleElement()
        .satisfies(
            pdb -> {
              JsonNode spec = pdb.path("spec");
              int replicas = hub.path("spec").path("replicas").asInt(1);
              // minAvailable >= replicas would block every node drain.
              if (spec.has("minAvailable")) {
                assertThat(spec.path("minAvailable").asInt()).isLessThan(replicas);
              } else {
                assertThat(spec.path("maxUnavailable").asInt()).isPositive();
              }
            });
    for (JsonNode node : m.workloads("node")) {
      assertThat(budgets)
          .noneMatch(
              p -> selects(p.path("spec").path("selector").path("matchLabels"), podLabels(node)));
    }
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void onlyTheHubReachesANodesHttpPort(Path kustomization) throws Exception {
    Manifests m = rendered(kustomization);
    Map<String, String> hubLabels = podLabels(m.workloads("hub").get(0));
    for (JsonNode node : m.workloads("node")) {
      JsonNode container = containers(node).get(0);
      List<JsonNode> policies =
          m.ofKind("NetworkPolicy").stream()
              .filter(
                  p ->
                      selects(
                          p.path("spec").path("podSelector").path("matchLabels"), podLabels(node)))
              .toList();
      assertThat(policies).as("NetworkPolicies of " + name(node)).isNotEmpty();
      boolean hubAdmitted = false;
      for (JsonNode policy : policies) {
        assertThat(texts(policy.path("spec").path("policyTypes"))).contains("Ingress");
        for (JsonNode rule : policy.path("spec").path("ingress")) {
          boolean allPorts = rule.path("ports").isEmpty();
          boolean http =
              allPorts
                  || stream(rule.path("ports"))
                      .anyMatch(p -> containerPort(container, p.path("port")).orElse(-1) == 8080);
          if (!http) {
            continue;
          }
          String where = name(policy) + " rule admitting " + name(node) + ":http";
          assertThat(rule.path("from").isEmpty()).as(where + " must name its peers").isFalse();
          for (JsonNode peer : rule.path("from")) {
            assertThat(peer.has("ipBlock") || peer.has("namespaceSelector"))
                .as(where + ": only pods of this namespace")
                .isFalse();
            JsonNode selector = peer.path("podSelector").path("matchLabels");
            assertThat(selects(selector, hubLabels)).as(where + ": peer must be the hub").isTrue();
            assertThat(m.workloads().stream().filter(w -> selects(selector, podLabels(w))))
                .as(where + ": peer selects only the hub")
                .allMatch(w -> "hub".equals(podLabels(w).get(COMPONENT)));
          }
          hubAdmitted = true;
        }
      }
      assertThat(hubAdmitted).as("the hub can reach " + name(node) + ":http").isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void everySecretReferenceIsASecretKeyRef(Path kustomization) throws Exception {
    Manifests m = rendered(kustomization);
    for (JsonNode workload : m.workloads()) {
      for (JsonNode c : containers(workload)) {
        for (JsonNode env : c.path("env")) {
          String variable = env.path("name").asText();
          String where = name(workload) + " " + variable;
          if (SECRET_NAME.matcher(variable).matches()) {
            assertThat(env.has("value")).as(where + " given in plain text").isFalse();
            assertThat(env.path("valueFrom").has("secretKeyRef"))
                .as(where + " from a Secret")
                .isTrue();
          } else {
            assertThat(env.path("value").asText("")).as(where).doesNotMatch(SECRET_VALUE);
          }
        }
      }
    }
    for (JsonNode configMap : m.ofKind("ConfigMap")) {
      Manifests.strings(configMap.path("data"))
          .forEach(
              (key, value) -> {
                assertThat(key)
                    .as(name(configMap) + " holds a credential")
                    .doesNotMatch(SECRET_NAME);
                assertThat(value).as(name(configMap) + "/" + key).doesNotMatch(SECRET_VALUE);
              });
    }
    // The credentials the app needs are wired, each from a Secret.
    for (JsonNode workload : m.workloads()) {
      List<String> fromSecrets =
          stream(containers(workload).get(0).path("env"))
              .filter(e -> e.path("valueFrom").has("secretKeyRef"))
              .map(Manifests::envName)
              .toList();
      assertThat(fromSecrets)
          .as(name(workload) + " secrets")
          .contains("PONTE_DB_PASSWORD", "PONTE_OIDC_SECRET");
      if ("node".equals(podLabels(workload).get(COMPONENT))) {
        assertThat(fromSecrets).contains("PONTE_NODE_STORAGE_BLOB_CONNECTION_STRING");
      } else {
        // The hub's service account towards the nodes: never a fallback (ClientSecrets).
        assertThat(fromSecrets).contains("PONTE_HUB_CLIENT_SECRET");
      }
    }
  }

  // ---- base ------------------------------------------------------------------------------------

  @Nested
  class Base {

    @Test
    void definesNoSecretsOnlyReferencesThem() throws Exception {
      Manifests m = rendered(BASE);
      assertThat(m.ofKind("Secret"))
          .as("Secrets in the base (the operator creates them)")
          .isEmpty();
      assertThat(m.objects())
          .as("base objects")
          .isNotEmpty()
          .allSatisfy(
              o ->
                  assertThat(o.path("metadata").has("namespace"))
                      .as(name(o) + " namespace")
                      .isFalse());
    }

    @Test
    void pinsTheReleaseImage() throws Exception {
      assertThat(images(rendered(BASE))).containsExactly("ponte:0.1.0");
    }
  }

  // ---- demo overlay
  // ------------------------------------------------------------------------------

  @Nested
  class Demo {

    @Test
    void putsEverythingInNamespacePonteDemo() throws Exception {
      Manifests m = rendered(DEMO);
      assertThat(m.find("Namespace", "ponte-demo")).isPresent();
      assertThat(m.objects().stream().filter(o -> !"Namespace".equals(o.path("kind").asText())))
          .isNotEmpty()
          .allSatisfy(
              o ->
                  assertThat(o.path("metadata").path("namespace").asText())
                      .as(o.path("kind").asText() + " " + name(o))
                      .isEqualTo("ponte-demo"));
    }

    @Test
    void runsOneHubAndOneNodePerSiteWithOneReplicaEach() throws Exception {
      Manifests m = rendered(DEMO);
      assertThat(m.workloads())
          .allSatisfy(
              w -> assertThat(w.path("spec").path("replicas").asInt()).as(name(w)).isEqualTo(1));
      Map<String, JsonNode> bySite = new TreeMap<>();
      for (JsonNode node : m.workloads("node")) {
        JsonNode container = containers(node).get(0);
        String site = m.env(container, "PONTE_SITE").orElseThrow();
        assertThat(bySite.put(site, node)).as("two nodes for " + site).isNull();
        // Its machine identity is the site's own Keycloak client (realm-config/ponte-realm.json).
        assertThat(m.env(container, "PONTE_OIDC_CLIENT_ID")).contains("ponte-node-" + site);
      }
      assertThat(bySite.keySet()).isEqualTo(SITES);
    }

    @Test
    void eachNodeServiceReachesOnlyItsOwnSite() throws Exception {
      Manifests m = rendered(DEMO);
      for (JsonNode service : m.ofKind("Service")) {
        List<String> selected =
            m.workloads().stream()
                .filter(w -> selects(service.path("spec").path("selector"), podLabels(w)))
                .map(Manifests::name)
                .toList();
        assertThat(selected).as("pods behind Service " + name(service)).hasSize(1);
      }
    }

    @Test
    void secretReferencesResolveToSecretsMarkedDemoOnly() throws Exception {
      Manifests m = rendered(DEMO);
      for (JsonNode workload : m.workloads()) {
        for (JsonNode env : containers(workload).get(0).path("env")) {
          JsonNode ref = env.path("valueFrom").path("secretKeyRef");
          if (ref.isMissingNode()) {
            continue;
          }
          String where = name(workload) + " " + env.path("name").asText();
          JsonNode secret =
              m.find("Secret", ref.path("name").asText())
                  .orElseThrow(
                      () -> new AssertionError(where + ": no Secret " + ref.path("name").asText()));
          assertThat(secret.path("data").has(ref.path("key").asText())).as(where + " key").isTrue();
        }
      }
      assertThat(m.ofKind("Secret"))
          .isNotEmpty()
          .allSatisfy(
              s ->
                  assertThat(s.path("metadata").path("labels").path("ponte.io/demo-only").asText())
                      .as(name(s))
                      .isEqualTo("true"));
    }

    @Test
    void eachNodeSignsInWithItsOwnClientSecret() throws Exception {
      Manifests m = rendered(DEMO);
      for (JsonNode node : m.workloads("node")) {
        JsonNode container = containers(node).get(0);
        String site = m.env(container, "PONTE_SITE").orElseThrow();
        String ref = m.env(container, "PONTE_OIDC_SECRET").orElseThrow();
        Matcher secretRef = Pattern.compile("<secret (.+)/(.+)>").matcher(ref);
        assertThat(secretRef.matches()).as(ref).isTrue();
        String value =
            new String(
                Base64.getDecoder()
                    .decode(
                        m.find("Secret", secretRef.group(1))
                            .orElseThrow()
                            .path("data")
                            .path(secretRef.group(2))
                            .asText()),
                StandardCharsets.UTF_8);
        assertThat(value)
            .as("client secret of " + site)
            .isEqualTo("ponte-node-" + site + "-secret");
      }
    }

    @Test
    void runsTheDemoImage() throws Exception {
      assertThat(images(rendered(DEMO))).containsExactly("ponte:demo");
    }
  }

  // ---- helpers
  // -----------------------------------------------------------------------------------

  static Set<String> images(Manifests m) {
    return m.workloads().stream()
        .flatMap(w -> containers(w).stream())
        .map(c -> c.path("image").asText())
        .collect(Collectors.toSet());
  }

  static Stream<JsonNode> stream(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false);
  }

  static JsonNode textNode(String text) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
  }

  /** Kubernetes memory quantities as used here (plain bytes or binary suffixes). */
  static long bytes(String quantity) {
    Matcher q = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti)?").matcher(quantity);
    assertThat(q.matches()).as("memory quantity " + quantity).isTrue();
    int shift =
        switch (q.group(2) == null ? "" : q.group(2)) {
          case "Ki" -> 10;
          case "Mi" -> 20;
          case "Gi" -> 30;
          case "Ti" -> 40;
          default -> 0;
        };
    return Long.parseLong(q.group(1)) << shift;
  }
}
