package io.ponte.k8s;

import static io.ponte.k8s.Manifests.COMPONENT;
import static io.ponte.k8s.Manifests.containerPort;
import static io.ponte.k8s.Manifests.containers;
import static io.ponte.k8s.Manifests.name;
import static io.ponte.k8s.Manifests.podLabels;
import static io.ponte.k8s.Manifests.podSpec;
import static io.ponte.k8s.Manifests.selects;
import static io.ponte.k8s.Manifests.strings;
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
import java.util.Properties;
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
  static final Path PROD = Path.of("k8s", "overlays", "prod");
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
    return Stream.of(BASE, DEMO, PROD);
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
        // Health is on the management port once it is set (the HTTP port then serves nothing under
        // /q/), else on the HTTP port.
        int healthPort =
            Integer.parseInt(
                m.env(c, "PONTE_MANAGEMENT_PORT")
                    .or(() -> m.env(c, "PONTE_HTTP_PORT"))
                    .orElse("8080"));
        assertThat(probe(c, "livenessProbe")).as(where + " liveness").isEqualTo("/q/health/live");
        assertThat(probe(c, "readinessProbe"))
            .as(where + " readiness")
            .isEqualTo("/q/health/ready");
        if ("node".equals(podLabels(workload).get(COMPONENT))) {
          // The storage check waits up to 2 s for a Blob ping (StorageReadinessCheck): a shorter
          // probe timeout would take a node whose Blob is slow out of service after all.
          assertThat(c.path("readinessProbe").path("timeoutSeconds").asInt(1))
              .as(where + " readiness timeout")
              .isGreaterThanOrEqualTo(3);
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
          JsonNode port = c.path(probe).path("httpGet").path("port");
          if (!port.isMissingNode()) {
            assertThat(containerPort(c, port))
                .as(where + " " + probe + " port")
                .contains(healthPort);
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
      JsonNode mount = mountAt(container, cacheDir, name(node));
      String volume = mount.path("name").asText();
      assertThat(stream(node.path("spec").path("volumeClaimTemplates")).map(Manifests::name))
          .as(name(node) + " claim templates")
          .contains(volume);
      assertThat(stream(podSpec(node).path("volumes")).map(KustomizeRenderTest::entryName))
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
        String tmpVolume = entryName(mountAt(c, "/tmp", where));
        assertThat(stream(pod.path("volumes")).filter(v -> tmpVolume.equals(entryName(v))))
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
      // DICOMweb: the plain port, and the HTTPS one where the node serves it (prod).
      List<Integer> web =
          Stream.of("http", "https")
              .flatMap(n -> containerPort(container, textNode(n)).stream())
              .toList();
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
                      .anyMatch(
                          p -> web.contains(containerPort(container, p.path("port")).orElse(-1)));
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

  // ---- schema of every rendered object ---------------------------------------------------------

  @ParameterizedTest
  @MethodSource("kustomizations")
  void everyRenderedObjectConformsToItsSchema(Path kustomization) throws Exception {
    Manifests m = rendered(kustomization);
    assertThat(m.objects().stream().flatMap(o -> KubernetesSchemas.check(o).stream()))
        .as("schema problems in " + kustomization)
        .isEmpty();
  }

  @Test
  void theSchemaCheckCatchesMisspeltAndMistypedFields() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    JsonNode deployment =
        json.readTree(
            """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},
             "spec":{"replica":2,"template":{"spec":{"containers":[{"name":"c",
               "readinessProbe":{"httpGet":{"path":"/q/health/ready","port":8080},"timeout":5}}]}}}}""");
    assertThat(KubernetesSchemas.check(deployment))
        .anySatisfy(p -> assertThat(p).contains("spec").contains("replica"))
        .anySatisfy(p -> assertThat(p).contains("readinessProbe").contains("timeout"));
    JsonNode mistyped =
        json.readTree(
            """
            {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"x"},
             "spec":{"maxReplicas":"many"}}""");
    assertThat(KubernetesSchemas.check(mistyped)).isNotEmpty();
    JsonNode cluster =
        json.readTree(
            """
            {"apiVersion":"postgresql.cnpg.io/v1","kind":"Cluster","metadata":{"name":"db"},
             "spec":{"instances":"3","bootstrap":{"initdb":{"database":"d","secrets":{"name":"s"}}}}}""");
    assertThat(KubernetesSchemas.check(cluster))
        .anySatisfy(p -> assertThat(p).contains("spec.instances").contains("integer"))
        .anySatisfy(p -> assertThat(p).contains("unknown field secrets"));
    JsonNode unknownKind =
        json.readTree(
            """
            {"apiVersion":"example.org/v1","kind":"Thing","metadata":{"name":"t"}}""");
    assertThat(KubernetesSchemas.check(unknownKind))
        .singleElement()
        .asString()
        .contains("no schema");
  }

  // ---- production overlay ----------------------------------------------------------------------

  @Nested
  class Prod {

    /** Demo values that must never reach production: secrets, the demo profile, Azurite's key. */
    static final List<String> DEMO_VALUES =
        List.of(
            "ponte-hub-secret\\b",
            "ponte-node-[a-z0-9-]+-secret\\b",
            "ponte-demo",
            "QUARKUS_PROFILE",
            "demo-only",
            "devstoreaccount1",
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1",
            "AccountKey=",
            "ponte:demo");

    @Test
    void definesNoSecretAndNoDemoValue() throws Exception {
      Manifests m = rendered(PROD);
      assertThat(m.ofKind("Secret")).as("Secrets (created by the operator team)").isEmpty();
      String all = m.objects().toString();
      for (String demo : DEMO_VALUES) {
        assertThat(Pattern.compile(demo).matcher(all).find()).as("demo value " + demo).isFalse();
      }
      assertThat(images(m)).containsExactly("registry.example.org/ponte/ponte:0.1.0");
    }

    @Test
    void theHubIsAutoscaledAndItsDisruptionsBudgeted() throws Exception {
      Manifests m = rendered(PROD);
      JsonNode hub = m.workloads("hub").get(0);
      JsonNode hpa = m.ofKind("HorizontalPodAutoscaler").get(0);
      assertThat(m.ofKind("HorizontalPodAutoscaler")).hasSize(1);
      JsonNode target = hpa.path("spec").path("scaleTargetRef");
      assertThat(target.path("kind").asText()).isEqualTo("Deployment");
      assertThat(target.path("apiVersion").asText()).isEqualTo("apps/v1");
      assertThat(target.path("name").asText()).isEqualTo(name(hub));
      int min = hpa.path("spec").path("minReplicas").asInt();
      assertThat(min).as("a drain leaves one hub").isGreaterThanOrEqualTo(2);
      assertThat(hpa.path("spec").path("maxReplicas").asInt()).isGreaterThan(min);
      List<JsonNode> budgets = m.ofKind("PodDisruptionBudget");
      assertThat(budgets)
          .singleElement()
          .satisfies(
              pdb ->
                  assertThat(
                          selects(
                              pdb.path("spec").path("selector").path("matchLabels"),
                              podLabels(hub)))
                      .isTrue());
    }

    @Test
    void theHubKnowsTheNodeOfEverySite() throws Exception {
      Manifests m = rendered(PROD);
      JsonNode hub = m.workloads("hub").get(0);
      // Read as the hub reads it: SmallRye Config into FederationConfig.
      Properties loaded = mountedProperties(m, hub);
      Map<String, String> values = new HashMap<>();
      loaded.forEach((k, v) -> values.put((String) k, (String) v));
      io.ponte.hub.dicomweb.FederationConfig federation =
          new io.smallrye.config.SmallRyeConfigBuilder()
              .withSources(new io.smallrye.config.PropertiesConfigSource(values, "prod", 300))
              .withConverter(
                  java.time.Duration.class,
                  200,
                  new io.quarkus.runtime.configuration.DurationConverter())
              .withMapping(io.ponte.hub.dicomweb.FederationConfig.class)
              .build()
              .getConfigMapping(io.ponte.hub.dicomweb.FederationConfig.class);
      List<JsonNode> nodes = m.workloads("node");
      assertThat(nodes).hasSize(SITES.size());
      for (JsonNode node : nodes) {
        String site = m.env(containers(node).get(0), "PONTE_SITE").orElseThrow();
        java.net.URI url =
            federation
                .nodeUrl(site)
                .orElseThrow(() -> new AssertionError("no node-url for site " + site));
        // The URL names a Service that selects this node (and no other) on its DICOMweb port: the
        // HTTPS one for an https URL.
        JsonNode service =
            m.find("Service", url.getHost())
                .orElseThrow(() -> new AssertionError(url + ": no Service " + url.getHost()));
        assertThat(selects(service.path("spec").path("selector"), podLabels(node)))
            .as(url + " selects " + name(node))
            .isTrue();
        assertThat(
                m.workloads().stream()
                    .filter(w -> selects(service.path("spec").path("selector"), podLabels(w))))
            .hasSize(1);
        assertThat(
                stream(service.path("spec").path("ports"))
                    .filter(p -> p.path("port").asInt() == url.getPort())
                    .map(p -> containerPort(containers(node).get(0), p.path("targetPort"))))
            .as(url + " port")
            .containsExactly(
                java.util.Optional.of(
                    "https".equals(url.getScheme())
                        ? Integer.parseInt(
                            mountedProperties(m, node).getProperty("quarkus.http.ssl-port"))
                        : 8080));
      }
    }

    @Test
    void theHubReachesEveryNodeOverTlsVerifiedAgainstAMountedCa() throws Exception {
      Manifests m = rendered(PROD);
      JsonNode hub = m.workloads("hub").get(0);
      Properties federation = mountedProperties(m, hub);
      String tls = federation.getProperty("ponte.hub.federation.tls-configuration-name");
      assertThat(tls).as("a named TLS configuration for the nodes").isNotBlank();
      assertThat(federation.getProperty("quarkus.tls." + tls + ".trust-all")).isNull();
      String ca = federation.getProperty("quarkus.tls." + tls + ".trust-store.pem.certs");
      assertThat(secretMountedAt(hub, ca)).as("the hub's CA file " + ca).isPresent();
      for (JsonNode node : m.workloads("node")) {
        JsonNode c = containers(node).get(0);
        String site = m.env(c, "PONTE_SITE").orElseThrow();
        assertThat(federation.getProperty("ponte.hub.federation.node-url." + site))
            .startsWith("https://");
        Properties tlsConfig = mountedProperties(m, node);
        assertThat(tlsConfig.getProperty("quarkus.http.insecure-requests"))
            .as(name(node) + " opens no plain HTTP port")
            .isEqualTo("disabled");
        for (String file : List.of("cert", "key")) {
          String path = tlsConfig.getProperty("quarkus.tls.key-store.pem.0." + file);
          assertThat(secretMountedAt(node, path))
              .as(name(node) + "'s " + path)
              .contains("ponte-node-tls-" + site);
        }
      }
    }

    @Test
    void theNodesPublishToTheHubOverTlsVerifiedAgainstTheSameCa() throws Exception {
      Manifests m = rendered(PROD);
      JsonNode hub = m.workloads("hub").get(0);
      JsonNode hubContainer = containers(hub).get(0);
      Properties hubConfig = mountedProperties(m, hub);
      // The hub serves HTTPS with a certificate from a Secret, and no plain HTTP at all.
      assertThat(hubConfig.getProperty("quarkus.http.insecure-requests"))
          .as("the hub opens no plain HTTP port")
          .isEqualTo("disabled");
      int https = Integer.parseInt(hubConfig.getProperty("quarkus.http.ssl-port"));
      assertThat(containerPort(hubContainer, textNode("https"))).contains(https);
      assertThat(containerPort(hubContainer, textNode("http")))
          .as("no container port for the closed plain one")
          .isEmpty();
      for (String file : List.of("cert", "key")) {
        String path = hubConfig.getProperty("quarkus.tls.key-store.pem.0." + file);
        assertThat(secretMountedAt(hub, path)).as("the hub's " + path).isPresent();
      }
      String hubCert =
          secretMountedAt(hub, hubConfig.getProperty("quarkus.tls.key-store.pem.0.cert"))
              .orElseThrow();
      // The CA the hub checks the nodes with is the one the nodes check the hub with.
      String ca =
          secretMountedAt(
                  hub,
                  hubConfig.getProperty(
                      "quarkus.tls."
                          + hubConfig.getProperty("ponte.hub.federation.tls-configuration-name")
                          + ".trust-store.pem.certs"))
              .orElseThrow();
      assertThat(ca).isNotEqualTo(hubCert);
      String hubHost = null;
      for (JsonNode node : m.workloads("node")) {
        JsonNode c = containers(node).get(0);
        java.net.URI url = java.net.URI.create(m.env(c, "PONTE_HUB_URL").orElseThrow());
        assertThat(url.getScheme()).as(name(node) + " hub URL " + url).isEqualTo("https");
        // A Service of the hub's pods (only) whose port leads to its HTTPS port.
        JsonNode service =
            m.find("Service", url.getHost())
                .orElseThrow(() -> new AssertionError(url + ": no Service " + url.getHost()));
        assertThat(
                m.workloads().stream()
                    .filter(w -> selects(service.path("spec").path("selector"), podLabels(w))))
            .as(url + " selects the hub only")
            .containsExactly(hub);
        assertThat(
                stream(service.path("spec").path("ports"))
                    .filter(p -> p.path("port").asInt() == url.getPort())
                    .map(p -> containerPort(hubContainer, p.path("targetPort"))))
            .as(url + " port")
            .containsExactly(java.util.Optional.of(https));
        hubHost = url.getHost();
        Properties nodeConfig = mountedProperties(m, node);
        String tls = nodeConfig.getProperty("ponte.node.publish.tls-configuration-name");
        assertThat(tls).as(name(node) + ": a named TLS configuration for the hub").isNotBlank();
        assertThat(nodeConfig.getProperty("quarkus.tls." + tls + ".trust-all")).isNull();
        String nodeCa = nodeConfig.getProperty("quarkus.tls." + tls + ".trust-store.pem.certs");
        assertThat(secretMountedAt(node, nodeCa))
            .as(name(node) + "'s CA file " + nodeCa)
            .contains(ca);
      }
      // The Ingress proxies to that port over HTTPS, verifying the certificate against the same CA
      // for the host the nodes use (the one the hub's certificate is issued for).
      JsonNode ingress = m.ofKind("Ingress").get(0);
      Map<String, String> annotations = strings(ingress.path("metadata").path("annotations"));
      assertThat(annotations)
          .containsEntry("nginx.ingress.kubernetes.io/backend-protocol", "HTTPS")
          .containsEntry("nginx.ingress.kubernetes.io/proxy-ssl-verify", "on")
          .containsEntry(
              "nginx.ingress.kubernetes.io/proxy-ssl-secret",
              ingress.path("metadata").path("namespace").asText() + "/" + ca)
          .containsEntry("nginx.ingress.kubernetes.io/proxy-ssl-name", hubHost);
      JsonNode backend = backendService(ingress);
      JsonNode backendService = m.find("Service", backend.path("name").asText()).orElseThrow();
      assertThat(
              stream(backendService.path("spec").path("ports"))
                  .filter(
                      p ->
                          p.path("name")
                              .asText()
                              .equals(backend.path("port").path("name").asText()))
                  .map(p -> containerPort(hubContainer, p.path("targetPort"))))
          .as("the Ingress backend port")
          .containsExactly(java.util.Optional.of(https));
      // NetworkPolicies admit to the hub its HTTPS port (the nodes: that only) and the management
      // port, nothing else.
      int management = containerPort(hubContainer, textNode("management")).orElseThrow();
      for (JsonNode policy : m.ofKind("NetworkPolicy")) {
        if (!selects(policy.path("spec").path("podSelector").path("matchLabels"), podLabels(hub))) {
          continue;
        }
        for (JsonNode rule : policy.path("spec").path("ingress")) {
          List<Integer> ports =
              stream(rule.path("ports"))
                  .map(p -> containerPort(hubContainer, p.path("port")).orElse(-1))
                  .toList();
          assertThat(ports)
              .as(name(policy) + " admits to the hub")
              .isNotEmpty()
              .isSubsetOf(https, management);
          boolean fromNodes =
              stream(rule.path("from"))
                  .anyMatch(
                      peer ->
                          m.workloads("node").stream()
                              .anyMatch(
                                  n ->
                                      selects(
                                          peer.path("podSelector").path("matchLabels"),
                                          podLabels(n))));
          if (fromNodes) {
            assertThat(ports).as(name(policy) + ": nodes to the hub").containsOnly(https);
          }
        }
      }
    }

    /**
     * The application.properties of the ConfigMap mounted at /deployments/config in the workload's
     * first container: Quarkus reads config/application.properties under its working directory.
     */
    private static Properties mountedProperties(Manifests m, JsonNode workload) throws Exception {
      String volume =
          entryName(mountAt(containers(workload).get(0), "/deployments/config", name(workload)));
      String configMap =
          stream(podSpec(workload).path("volumes"))
              .filter(v -> volume.equals(entryName(v)))
              .findFirst()
              .orElseThrow()
              .path("configMap")
              .path("name")
              .asText();
      Properties loaded = new Properties();
      loaded.load(
          new java.io.StringReader(
              m.configMapValue(configMap, "application.properties")
                  .orElseThrow(
                      () -> new AssertionError(configMap + " has no application.properties"))));
      return loaded;
    }

    /** The Secret (by name) mounted where {@code file} lies in the workload's first container. */
    private static java.util.Optional<String> secretMountedAt(JsonNode workload, String file) {
      return stream(containers(workload).get(0).path("volumeMounts"))
          .filter(v -> file.startsWith(v.path("mountPath").asText() + "/"))
          .map(KustomizeRenderTest::entryName)
          .flatMap(
              volume ->
                  stream(podSpec(workload).path("volumes"))
                      .filter(v -> volume.equals(entryName(v))))
          .map(v -> v.path("secret").path("secretName").asText(null))
          .filter(java.util.Objects::nonNull)
          .findFirst();
    }

    @Test
    void eachNodeUsesItsOwnSecretsAndDatabase() throws Exception {
      Manifests m = rendered(PROD);
      for (JsonNode node : m.workloads("node")) {
        JsonNode container = containers(node).get(0);
        String site = m.env(container, "PONTE_SITE").orElseThrow();
        List<String> secrets =
            stream(container.path("env"))
                .map(e -> e.path("valueFrom").path("secretKeyRef").path("name").asText(""))
                .filter(n -> !n.isEmpty())
                .toList();
        assertThat(secrets)
            .as(name(node) + " secrets")
            .isNotEmpty()
            .allMatch(n -> n.contains(site));
        String db = m.env(container, "PONTE_NODE_DB_URL").orElseThrow();
        JsonNode cluster =
            m.ofKind("Cluster").stream()
                .filter(c -> db.contains("//" + name(c) + "-rw:"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(db + ": no CloudNativePG Cluster"));
        assertThat(
                cluster
                    .path("spec")
                    .path("bootstrap")
                    .path("initdb")
                    .path("secret")
                    .path("name")
                    .asText())
            .isEqualTo(
                stream(container.path("env"))
                    .filter(e -> "PONTE_DB_PASSWORD".equals(e.path("name").asText()))
                    .findFirst()
                    .orElseThrow()
                    .path("valueFrom")
                    .path("secretKeyRef")
                    .path("name")
                    .asText());
      }
    }

    @Test
    void theHubIsServedOverTlsWithACertificateByReference() throws Exception {
      Manifests m = rendered(PROD);
      JsonNode ingress = m.ofKind("Ingress").get(0);
      Set<String> tlsHosts =
          stream(ingress.path("spec").path("tls"))
              .peek(t -> assertThat(t.path("secretName").asText()).isNotEmpty())
              .flatMap(t -> stream(t.path("hosts")))
              .map(JsonNode::asText)
              .collect(Collectors.toSet());
      List<String> hosts =
          stream(ingress.path("spec").path("rules")).map(r -> r.path("host").asText()).toList();
      assertThat(hosts).isNotEmpty();
      assertThat(tlsHosts).as("every host has TLS").containsAll(hosts);
      String backend = backendService(ingress).path("name").asText();
      JsonNode service = m.find("Service", backend).orElseThrow();
      assertThat(
              selects(service.path("spec").path("selector"), podLabels(m.workloads("hub").get(0))))
          .isTrue();
      String publicUrl =
          m.env(containers(m.workloads("hub").get(0)).get(0), "PONTE_PUBLIC_URL").orElseThrow();
      assertThat(publicUrl).isEqualTo("https://" + hosts.get(0));
    }

    /**
     * Behind the Ingress the hub reads X-Forwarded-* (application.properties, %prod) from the
     * proxies PONTE_TRUSTED_PROXIES names only: a range, never everyone, and only the hub's.
     */
    @Test
    void theHubTrustsForwardedHeadersFromItsIngressControllerOnly() throws Exception {
      Manifests m = rendered(PROD);
      String trusted =
          m.env(containers(m.workloads("hub").get(0)).get(0), "PONTE_TRUSTED_PROXIES")
              .orElseThrow();
      List<String> proxies = List.of(trusted.split(","));
      assertThat(proxies).isNotEmpty().noneMatch(p -> p.isBlank() || p.trim().endsWith("/0"));
      proxies.forEach(
          p ->
              new io.quarkus.vertx.http.runtime.TrustedProxyCheckPartConverter().convert(p.trim()));
      for (JsonNode node : m.workloads("node")) {
        assertThat(m.env(containers(node).get(0), "PONTE_TRUSTED_PROXIES")).isEmpty();
      }
    }

    @Test
    void networkPoliciesDenyByDefaultAndAdmitOnlyWhoNeedsIt() throws Exception {
      Manifests m = rendered(PROD);
      List<JsonNode> policies = m.ofKind("NetworkPolicy");
      assertThat(policies)
          .as("a default deny for every pod")
          .anySatisfy(
              p -> {
                assertThat(p.path("spec").path("podSelector").isEmpty()).isTrue();
                assertThat(texts(p.path("spec").path("policyTypes"))).contains("Ingress");
                assertThat(p.path("spec").path("ingress").isEmpty()).isTrue();
              });
      // DIMSE: each node from its hospital network only (an ipBlock), from nothing else.
      for (JsonNode node : m.workloads("node")) {
        JsonNode container = containers(node).get(0);
        int dimseRules = 0;
        for (JsonNode policy : policies) {
          if (!selects(
              policy.path("spec").path("podSelector").path("matchLabels"), podLabels(node))) {
            continue;
          }
          for (JsonNode rule : policy.path("spec").path("ingress")) {
            boolean dimse =
                rule.path("ports").isEmpty()
                    || stream(rule.path("ports"))
                        .anyMatch(
                            p -> containerPort(container, p.path("port")).orElse(-1) == 11112);
            if (!dimse) {
              continue;
            }
            dimseRules++;
            assertThat(rule.path("from"))
                .as(name(policy) + ": DIMSE of " + name(node) + " from its hospital network only")
                .isNotEmpty()
                .allSatisfy(peer -> assertThat(strings(peer)).containsOnlyKeys("ipBlock"));
          }
        }
        assertThat(dimseRules).as("DIMSE admitted to " + name(node)).isEqualTo(1);
      }
      // PostgreSQL: each cluster's port 5432 from the app it serves and its own instances only.
      Map<String, Map<String, String>> appOf = new HashMap<>();
      appOf.put("ponte-hub-db", podLabels(m.workloads("hub").get(0)));
      appOf.put("ponte-keycloak-db", Map.of("app", "keycloak"));
      for (JsonNode node : m.workloads("node")) {
        String site = m.env(containers(node).get(0), "PONTE_SITE").orElseThrow();
        appOf.put("ponte-node-db-" + site, podLabels(node));
      }
      assertThat(m.ofKind("Cluster").stream().map(Manifests::name))
          .containsExactlyInAnyOrderElementsOf(appOf.keySet());
      for (JsonNode cluster : m.ofKind("Cluster")) {
        Map<String, String> instance = Map.of("cnpg.io/cluster", name(cluster));
        Map<String, String> app = appOf.get(name(cluster));
        boolean appAdmitted = false;
        for (JsonNode policy : policies) {
          if (!selects(policy.path("spec").path("podSelector").path("matchLabels"), instance)) {
            continue;
          }
          for (JsonNode rule : policy.path("spec").path("ingress")) {
            boolean postgres =
                rule.path("ports").isEmpty()
                    || stream(rule.path("ports")).anyMatch(p -> p.path("port").asInt() == 5432);
            if (!postgres) {
              continue;
            }
            for (JsonNode peer : rule.path("from")) {
              String where = name(policy) + " admits to " + name(cluster) + ":5432 " + peer;
              assertThat(strings(peer)).as(where).containsOnlyKeys("podSelector");
              JsonNode selector = peer.path("podSelector").path("matchLabels");
              boolean self = selects(selector, instance);
              boolean theApp = selects(selector, app);
              assertThat(self || theApp).as(where).isTrue();
              if (theApp) {
                // Not another app's pods too (a node's database: only that site's node).
                assertThat(m.workloads().stream().filter(w -> selects(selector, podLabels(w))))
                    .as(where)
                    .allMatch(w -> podLabels(w).equals(app));
                appAdmitted = true;
              }
            }
          }
        }
        assertThat(appAdmitted).as("its app reaches " + name(cluster)).isTrue();
      }
      assertThat(
              m.ofKind("Cluster").stream()
                  .filter(
                      c -> c.path("metadata").path("name").asText().startsWith("ponte-node-db")))
          .allSatisfy(
              c ->
                  assertThat(strings(c.path("spec").path("inheritedMetadata").path("labels")))
                      .as("site label on the pods of " + name(c))
                      .containsKey("ponte.io/site"));
    }

    @Test
    void operatorResourcesReferenceSecretsByName() throws Exception {
      Manifests m = rendered(PROD);
      JsonNode keycloak = m.find("Keycloak", "keycloak").orElseThrow();
      assertThat(keycloak.path("apiVersion").asText()).isEqualTo("k8s.keycloak.org/v2alpha1");
      JsonNode db = keycloak.path("spec").path("db");
      assertThat(db.path("passwordSecret").path("name").asText()).isNotEmpty();
      assertThat(db.has("password")).isFalse();
      assertThat(m.find("Cluster", db.path("host").asText().replaceFirst("-rw$", ""))).isPresent();
      assertThat(m.ofKind("Cluster"))
          .allSatisfy(
              c -> {
                assertThat(c.path("apiVersion").asText()).isEqualTo("postgresql.cnpg.io/v1");
                assertThat(c.path("spec").path("instances").asInt()).isGreaterThanOrEqualTo(3);
                assertThat(
                        c.path("spec")
                            .path("bootstrap")
                            .path("initdb")
                            .path("secret")
                            .path("name")
                            .asText())
                    .isNotEmpty();
                assertThat(c.path("spec").path("backup").path("barmanObjectStore").isMissingNode())
                    .as("continuous backup of " + name(c))
                    .isFalse();
              });
    }

    @Test
    void prometheusScrapesTheHubAndEachNodeOnItsManagementPortOnly() throws Exception {
      Manifests m = rendered(PROD);
      List<JsonNode> monitors = m.ofKind("ServiceMonitor");
      assertThat(monitors)
          .allSatisfy(
              mon -> {
                assertThat(mon.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
                assertThat(mon.path("spec").path("endpoints"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.path("path").asText()).isEqualTo("/q/metrics"));
              });
      List<JsonNode> policies = m.ofKind("NetworkPolicy");
      assertThat(m.workloads("hub")).isNotEmpty();
      assertThat(m.workloads("node")).isNotEmpty();
      for (JsonNode node : m.workloads()) {
        JsonNode container = containers(node).get(0);
        int metricsPort = containerPort(container, textNode("management")).orElseThrow();
        // The app listens where the container port says (io.ponte.management reads this variable).
        assertThat(m.env(container, "PONTE_MANAGEMENT_PORT"))
            .contains(Integer.toString(metricsPort));
        String where = name(node) + ":management";
        // A ServiceMonitor selects a Service of this node whose "metrics" port leads there.
        assertThat(monitors)
            .as("a ServiceMonitor scraping " + where)
            .anySatisfy(
                mon -> {
                  String port = mon.path("spec").path("endpoints").get(0).path("port").asText();
                  assertThat(
                          m.ofKind("Service").stream()
                              .filter(
                                  svc ->
                                      selects(
                                              mon.path("spec").path("selector").path("matchLabels"),
                                              strings(svc.path("metadata").path("labels")))
                                          && selects(
                                              svc.path("spec").path("selector"), podLabels(node)))
                              .flatMap(svc -> stream(svc.path("spec").path("ports")))
                              .filter(p -> port.equals(p.path("name").asText()))
                              .map(p -> containerPort(container, p.path("targetPort")).orElse(-1)))
                      .contains(metricsPort);
                });
        // Only the monitoring namespace is admitted to it, and such a rule admits nothing else.
        boolean admitted = false;
        for (JsonNode policy : policies) {
          if (!selects(
              policy.path("spec").path("podSelector").path("matchLabels"), podLabels(node))) {
            continue;
          }
          for (JsonNode rule : policy.path("spec").path("ingress")) {
            List<Integer> ports =
                stream(rule.path("ports"))
                    .map(p -> containerPort(container, p.path("port")).orElse(-1))
                    .toList();
            if (!ports.contains(metricsPort)) {
              continue;
            }
            assertThat(ports)
                .as(name(policy) + " admits " + where + " only")
                .containsOnly(metricsPort);
            assertThat(rule.path("from"))
                .as(name(policy) + ": " + where + " from the monitoring namespace only")
                .singleElement()
                .satisfies(
                    peer ->
                        assertThat(strings(peer.path("namespaceSelector").path("matchLabels")))
                            .containsExactly(
                                Map.entry("kubernetes.io/metadata.name", "monitoring")));
            admitted = true;
          }
        }
        assertThat(admitted).as("Prometheus can reach " + where).isTrue();
      }
    }
  }

  @Nested
  class Alerts {

    @Test
    void prometheusAlertsOnTheNodesFixityMetrics() throws Exception {
      Manifests m = rendered(PROD);
      List<String> expressions =
          m.ofKind("PrometheusRule").stream()
              .flatMap(r -> stream(r.path("spec").path("groups")))
              .flatMap(g -> stream(g.path("rules")))
              .map(rule -> rule.path("expr").asText())
              .toList();
      // The names the node registers (io.ponte.node.fixity.FixityMetrics), as Prometheus spells
      // them.
      assertThat(expressions)
          .anyMatch(e -> e.contains("ponte_node_fixity_unrepairable_instances"))
          .anyMatch(e -> e.contains("ponte_node_fixity_mismatches_total"));
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
      return java.util.stream.StreamSupport.stream(array.spliterator(), false);
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

  /** The name of a list entry (volume, volumeMount, env): a field, not metadata.name. */
  static String entryName(JsonNode entry) {
    return entry.path("name").asText();
  }

  /** The volume mount at {@code path} in {@code container}; fails naming {@code where} if none. */
  static JsonNode mountAt(JsonNode container, String path, String where) {
    return stream(container.path("volumeMounts"))
        .filter(v -> path.equals(v.path("mountPath").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(where + " mounts nothing at " + path));
  }

  /** The Service (name, port) behind an Ingress's first rule's first path. */
  static JsonNode backendService(JsonNode ingress) {
    return ingress
        .path("spec")
        .path("rules")
        .get(0)
        .path("http")
        .path("paths")
        .get(0)
        .path("backend")
        .path("service");
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
