package io.ponte.hub.web.clinician;

import static io.ponte.testing.HubFhir.identifier;
import static io.ponte.testing.HubFhir.published;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.send.SendFailure;
import io.ponte.hub.send.SendJobEntity;
import io.ponte.hub.web.EmergencyAccessLink;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.ponte.testing.WebSignIn;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The clinician's workspace in plain HTTP, signed in through the real Keycloak login form: one
 * person spelled Gonçalves at hospital A and GONCALVES at hospital B, linked under a regional id,
 * is found by either identifier, the regional id, or any spelling of the name with her birth date;
 * her timeline lists the priors of both hospitals, newest first. Patients and the authority get the
 * friendly 403 page.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClinicianPagesTest {

  @TestHTTPResource("/")
  URL hub;

  @Inject HubDatabase db;

  final String tag = letters(8);
  final String regional = "REG-C" + tag.toUpperCase();
  String mrnA;
  String mrnB;
  String uidA;
  String uidB;
  WebSignIn ana;

  @BeforeEach
  void publishOnce() {
    if (mrnA != null) {
      return;
    }
    mrnA = FhirStudies.mrn();
    mrnB = FhirStudies.mrn();
    var a =
        FhirStudies.study("hospital-a", mrnA)
            .name("Gonçalves" + tag, "Maria")
            .description("CT torax " + tag)
            .bodySite(new Coding("http://snomed.info/sct", "43799004", "Chest"))
            .started("2024-03-05T10:00:00Z");
    var b =
        FhirStudies.study("hospital-b", mrnB)
            .name("GONCALVES" + tag.toUpperCase(), "MARIA")
            .description("RM joelho " + tag)
            .modalities("MR")
            .started("2025-01-20T09:00:00Z");
    published("ponte-node-hospital-a", a);
    published("ponte-node-hospital-b", b);
    uidA = a.uidValue();
    uidB = b.uidValue();
    HubFhir.link(regional, List.of(identifier("hospital-a", mrnA), identifier("hospital-b", mrnB)));
  }

  String url(String path) {
    return hub.toString().replaceAll("/$", "") + path;
  }

  HttpResponse<String> asAna(String path) {
    if (ana == null) {
      ana = WebSignIn.signIn(url("/"), "ana.clinic").browser();
    }
    return ana.get(url(path), Map.of());
  }

  static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Nested
  @DisplayName("as ana.clinic")
  class AsTheClinician {

    @Test
    void theWorkspaceIsTheSearchPageWithSafeHeaders() {
      HttpResponse<String> page = asAna("/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains("<html lang=\"pt\"", "Procurar utente", "Hospital A", "Hospital B");
      assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
          .contains("default-src 'self'");
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
      // isolated as the viewer is, so that the viewer window a page opens stays reachable from it
      assertThat(page.headers().firstValue("Cross-Origin-Opener-Policy")).hasValue("same-origin");
      assertThat(page.headers().firstValue("Cross-Origin-Embedder-Policy"))
          .hasValue("require-corp");
      assertThat(page.body()).doesNotContain("<script", "style=");
    }

    @Test
    void everyEmergencyFormRefusalIsInThePagesLanguageAndOpensNothing() {
      String record = IdentifierSystems.siteMrn("hospital-a") + "|" + mrnA;
      String tooLong = "Inconsciente na urgência ".repeat(100); // 2500 characters
      // in Portuguese (the default), then in English: each rule of the form, in words of the page
      Map<String, String> pt =
          Map.of(
              tooLong,
              "o motivo tem 2500 caracteres; escreva no máximo 2000",
              " ",
              "indique o motivo, por palavras");
      for (Map.Entry<String, String> c : pt.entrySet()) {
        HttpResponse<String> page = postEmergency(record, c.getKey(), "4", null);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body())
            .contains("id=\"emergency-error\"", "O acesso de emergência não foi concedido: ")
            .contains(c.getValue())
            .doesNotContain("the reason is at most", "needs a reason");
      }
      assertThat(postEmergency(record, "Urgência", "48", null).body())
          .contains("escolha 1, 4, 8 ou 24 horas")
          .doesNotContain("lasts at most");
      assertThat(postEmergency("urn:oid:1.2.999|nobody", "Urgência", "4", null).body())
          .contains("não foi possível identificar o utente")
          .doesNotContain("must name a patient");
      // the text area says the limit before the server has to
      assertThat(asAna("/clinician/emergency-access?patient=" + q(record)).body())
          .contains("maxlength=\"2000\"");
      assertThat(postEmergency(record, tooLong, "4", "en").body())
          .contains("Emergency access was not granted: ")
          .contains("the reason has 2500 characters; write at most 2000");
      assertThat(postEmergency(record, "", "4", "en").body())
          .contains("state the reason, in words");
      assertThat(postEmergency("urn:oid:1.2.999|nobody", "Emergency", "4", "en").body())
          .contains("the patient could not be identified");
    }

    @Test
    void theEmergencyFormNamesARecordByItsSiteAndMrnNotItsSystemUri() {
      String record = IdentifierSystems.siteMrn("hospital-a") + "|" + mrnA;
      HttpResponse<String> form = asAna("/clinician/emergency-access?patient=" + q(record));
      assertThat(form.statusCode()).isEqualTo(200);
      assertThat(form.body())
          .contains("<strong id=\"emergency-patient\">Hospital A: " + mrnA + "</strong>")
          .contains("name=\"patient\" value=\"" + record + "\"");
      // A regional id (no site's system) is shown as the search named it.
      assertThat(asAna("/clinician/emergency-access?patient=" + q(regional)).body())
          .contains("<strong id=\"emergency-patient\">" + regional + "</strong>");
    }

    @Test
    void thePagesNameAnIconTheHubServesSoNoBrowserAsksForAMissingFavicon() {
      assertThat(asAna("/").body()).contains("<link rel=\"icon\" href=\"/web/favicon.svg\"");
      HttpResponse<String> icon = asAna("/web/favicon.svg");
      assertThat(icon.statusCode()).isEqualTo(200);
      assertThat(icon.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
    }

    @Test
    void anySpellingOfTheNameWithTheBirthDateFindsOnePerson() {
      for (String name : List.of("goncalves" + tag, "GONÇALVES" + tag.toUpperCase())) {
        HttpResponse<String> page = asAna("/?name=" + q(name) + "&birthDate=1970-01-02");
        assertThat(page.statusCode()).isEqualTo(200);
        String body = page.body();
        assertThat(body).contains(mrnA, mrnB, "Hospital A: " + mrnA, "Hospital B: " + mrnB);
        // linked identities are one person: one row, one link to the timeline
        assertThat(rows(body)).isEqualTo(1);
      }
    }

    @Test
    void theResultsHeadingIsShownOnceAndTheTableKeepsItsNameForScreenReaders() {
      String body = asAna("/?identifier=" + q(mrnB)).body();
      assertThat(body)
          .contains("<h2", ">Utentes encontrados</h2>")
          .contains("<caption class=\"visually-hidden\">Utentes encontrados</caption>");
    }

    @Test
    void thePersonHasOneNameWhicheverHospitalsRecordFoundHerWithEachSpellingAsDetail() {
      // The rule: the record updated last; linking updated both at once, so the tie goes to the
      // site listed first (hospital-a). Each hospital's spelling under it, in the same order.
      String name = "Maria Gonçalves" + tag;
      String spellings =
          "Nome em cada hospital: Hospital A: "
              + name
              + " · Hospital B: MARIA GONCALVES"
              + tag.toUpperCase();
      for (String mrn : List.of(mrnA, mrnB)) {
        String timeline = asAna("/clinician/patients/" + hubPatientId(mrn)).body();
        assertThat(timeline)
            .as("the timeline of " + mrn + "'s record")
            .contains("<h1>Exames anteriores de " + name + "</h1>")
            .contains(
                "<p class=\"spellings\" id=\"spellings\"><small>" + spellings + "</small></p>");
        String search = asAna("/?identifier=" + q(mrn)).body();
        assertThat(search)
            .as("the search by " + mrn)
            .containsPattern("<a href=\"/clinician/patients/[^\"]+\">" + name + "</a>")
            .contains("<small class=\"spellings\">" + spellings + "</small>");
      }
    }

    @Test
    void aNameAHospitalChangedLaterNamesThePersonAndOneSpellingListsNothing() {
      String mrnC = FhirStudies.mrn();
      String mrnD = FhirStudies.mrn();
      published(
          "ponte-node-hospital-a",
          FhirStudies.study("hospital-a", mrnC).name("Silva" + tag, "Ana"));
      published(
          "ponte-node-hospital-b",
          FhirStudies.study("hospital-b", mrnD).name("Silva" + tag, "Ana"));
      // one spelling (and one record each, not yet linked): no list of one
      assertThat(asAna("/clinician/patients/" + hubPatientId(mrnC)).body())
          .contains("<h1>Exames anteriores de Ana Silva" + tag + "</h1>")
          .doesNotContain("id=\"spellings\"");
      HubFhir.link(
          "REG-N" + tag.toUpperCase(),
          List.of(identifier("hospital-a", mrnC), identifier("hospital-b", mrnD)));
      // hospital-b publishes her married name afterwards: its record is now the newest
      published(
          "ponte-node-hospital-b",
          FhirStudies.study("hospital-b", mrnD).name("Silva Costa" + tag, "Ana"));
      for (String mrn : List.of(mrnC, mrnD)) {
        assertThat(asAna("/clinician/patients/" + hubPatientId(mrn)).body())
            .as(mrn)
            .contains("<h1>Exames anteriores de Ana Silva Costa" + tag + "</h1>")
            .contains(
                "Nome em cada hospital: Hospital B: Ana Silva Costa"
                    + tag
                    + " · Hospital A: Ana Silva"
                    + tag);
      }
    }

    @Test
    void aNameWithoutTheBirthDateAsksForIt() {
      HttpResponse<String> page = asAna("/?name=" + q("goncalves" + tag));
      assertThat(page.body()).contains("precisa também da data de nascimento").doesNotContain(mrnA);
      page = asAna("/?name=" + q("goncalves" + tag) + "&birthDate=1970-01-03");
      assertThat(page.body()).contains("Nenhum utente corresponde").doesNotContain(mrnA);
    }

    @Test
    void eitherHospitalsIdentifierOrTheRegionalIdFindsThePerson() {
      for (String query :
          List.of(
              "/?identifier=" + q(mrnB),
              "/?identifier=" + q(mrnA) + "&site=hospital-a",
              "/?identifier=" + q(FhirStudies.mrnSystem("hospital-b") + "|" + mrnB),
              "/?regional=" + q(regional))) {
        String body = asAna(query).body();
        assertThat(body).as(query).contains(mrnA, mrnB);
        assertThat(rows(body)).as(query).isEqualTo(1);
      }
      // at the wrong site, the identifier is nobody's
      assertThat(asAna("/?identifier=" + q(mrnA) + "&site=hospital-b").body())
          .contains("Nenhum utente corresponde");
    }

    @Test
    void theRegionalIdTypedInAnotherCaseOrWithSpacesAroundFindsThePerson() {
      for (String typed :
          List.of(
              regional.toLowerCase(),
              "Reg-c" + tag,
              "  " + regional.toLowerCase() + " ",
              " Reg-C" + tag.toUpperCase() + "   ")) {
        String body = asAna("/?regional=" + q(typed)).body();
        assertThat(body).as(typed).contains(mrnA, mrnB).doesNotContain("Nenhum utente corresponde");
        assertThat(rows(body)).as(typed).isEqualTo(1);
      }
      assertThat(asAna("/?regional=" + q(regional + "X")).body())
          .contains("Nenhum utente corresponde");
    }

    @Test
    void twoRegionalIdsDifferingOnlyInCaseAreEachFoundAsIssuedAndNeitherIsGuessed() {
      String upper = FhirStudies.mrn();
      String lower = FhirStudies.mrn();
      published("ponte-node-hospital-a", FhirStudies.study("hospital-a", upper));
      published("ponte-node-hospital-a", FhirStudies.study("hospital-a", lower));
      HubFhir.link("REG-K" + tag.toUpperCase(), List.of(identifier("hospital-a", upper)));
      HubFhir.link("reg-k" + tag, List.of(identifier("hospital-a", lower)));
      assertThat(asAna("/?regional=" + q("REG-K" + tag.toUpperCase())).body())
          .contains(upper)
          .doesNotContain(lower);
      assertThat(asAna("/?regional=" + q(" reg-k" + tag)).body())
          .contains(lower)
          .doesNotContain(upper);
      assertThat(asAna("/?regional=" + q("Reg-K" + tag)).body())
          .contains("Nenhum utente corresponde")
          .doesNotContain(upper, lower);
    }

    @Test
    void aRegionalIdTypedInAnotherCaseIsStillWithheldByConsentAndNamedAsIssued() {
      // Issued in lower case by its site: typed in upper case, it names the same person, whose
      // consent still withholds her; the emergency form names the regional id as issued.
      String mrn = FhirStudies.mrn();
      String issued = "reg-w" + tag;
      published(
          "ponte-node-hospital-a",
          FhirStudies.study("hospital-a", mrn).name("Vieira" + tag, "Rui"));
      HubFhir.link(issued, List.of(identifier("hospital-a", mrn)));
      HubFhir.denyClinicNorte(mrn);
      String body = asAna("/?regional=" + q(issued.toUpperCase())).body();
      assertThat(body)
          .contains("Os registos deste utente foram retidos")
          .contains(EmergencyAccessLink.form(IdentifierSystems.REGIONAL_ID + "|" + issued))
          .doesNotContain(mrn, "Vieira" + tag, "Nenhum utente corresponde");
    }

    @Test
    void aPatientWhoseConsentWithholdsAllOfHerRecordsIsNotCalledNobody() {
      String mrn = FhirStudies.mrn();
      HubFhir.published(
          "ponte-node-hospital-a",
          FhirStudies.study("hospital-a", mrn).name("Vieira" + tag, "Rosa"));
      EmergencyAccessBrowserTest.denyClinicaNorte(mrn);
      String body = asAna("/?identifier=" + q(mrn) + "&site=hospital-a").body();
      assertThat(body)
          .contains(
              "Os registos deste utente foram retidos", "/clinician/emergency-access?patient=")
          // a match withheld by consent is someone, not "no patient matches"
          .doesNotContain("Nenhum utente corresponde", "Alguns registos");
    }

    @Test
    void theTimelineListsThePriorsOfBothHospitalsNewestFirstWithViewerLinks() {
      String search = asAna("/?identifier=" + q(mrnA)).body();
      Matcher link = Pattern.compile("href=\"(/clinician/patients/[^\"]+)\"").matcher(search);
      assertThat(link.find()).isTrue();
      HttpResponse<String> page = asAna(link.group(1));
      assertThat(page.statusCode()).isEqualTo(200);
      String body = page.body();
      assertThat(body)
          .contains("RM joelho " + tag, "CT torax " + tag, "Hospital A", "Hospital B")
          // No node runs in this profile: both sites' priors say so (and are listed all the same),
          // and open on the page that says why, not in a viewer that would stay black.
          .contains("data-state=\"SITE_UNREACHABLE\"", "Local inacessível")
          .contains(
              "href=\"/clinician/restore?study=" + uidA + "&amp;back=",
              "href=\"/clinician/restore?study=" + uidB + "&amp;back=")
          .doesNotContain("/viewer/viewer?StudyInstanceUIDs=")
          .doesNotContain("data-state=\"ONLINE\"")
          // the series' bodySite, in the page's language by its SNOMED CT code
          .contains("<td data-label=\"Região anatómica\">Tórax</td>");
      assertThat(body.indexOf("RM joelho " + tag)).isLessThan(body.indexOf("CT torax " + tag));
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void oneTimelineViewIsAuditedAsTheReadOfThePersonNotAlsoAsAPatientSearch() {
      String id = hubPatientId(mrnA);
      asAna("/"); // signed in
      long before = lastAuditSeq();
      assertThat(asAna("/clinician/patients/" + id).statusCode()).isEqualTo(200);
      List<String[]> written = auditedForAnaSince(before);
      assertThat(written.stream().map(r -> r[0] + " " + r[1]))
          .containsExactly("read Patient", "search ImagingStudy", "search EmergencyAccess");
      // the read names both of the person's records the page shows (her linked one was read too)
      assertThat(written.get(0)[2].split(",")).containsExactlyInAnyOrder(id, hubPatientId(mrnB));
    }

    @Test
    void aRecordPageAnotherSiteSentHerToAsksFirstAndAuditsNothingUntilSheGoesOn() {
      asAna("/"); // signed in
      String timeline = "/clinician/patients/" + hubPatientId(mrnA);
      String search = "/?identifier=" + q(mrnA) + "&site=hospital-a";
      List<String> opening =
          List.of(
              timeline,
              search,
              "/clinician/restore?study=" + uidA,
              "/clinician/send?study=" + uidA,
              "/clinician/emergency-access?patient="
                  + q(IdentifierSystems.siteMrn("hospital-a") + "|" + mrnA));
      for (String path : opening) {
        for (String from : List.of("cross-site", "same-site")) {
          long before = lastAuditSeq();
          HttpResponse<String> asked = ana.get(url(path), Map.of("Sec-Fetch-Site", from));
          assertThat(asked.statusCode()).as(path).isEqualTo(200);
          assertThat(asked.body())
              .as(path)
              .contains("Abrir os registos deste utente?")
              .doesNotContain(mrnB);
          // the way on is the same address (its query as the hub re-encoded it)
          Matcher on =
              Pattern.compile("id=\"elsewhere-continue\" href=\"([^\"]+)\"").matcher(asked.body());
          assertThat(on.find()).as(path).isTrue();
          assertThat(URLDecoder.decode(on.group(1).replace("&amp;", "&"), StandardCharsets.UTF_8))
              .isEqualTo(URLDecoder.decode(path, StandardCharsets.UTF_8));
          assertThat(asked.headers().firstValue("Cache-Control")).hasValue("no-store");
          assertThat(auditedForAnaSince(before)).as(path + " from " + from).isEmpty();
        }
      }
      // from the hub's own pages, or typed: opened, and audited as ever
      for (String from : List.of("same-origin", "none")) {
        long before = lastAuditSeq();
        HttpResponse<String> opened = ana.get(url(timeline), Map.of("Sec-Fetch-Site", from));
        assertThat(opened.body()).contains(mrnB).doesNotContain("elsewhere-continue");
        assertThat(auditedForAnaSince(before)).as(from).isNotEmpty();
      }
      // the empty search, where a sign-in coming back from Keycloak's site lands, opens no one
      assertThat(ana.get(url("/"), Map.of("Sec-Fetch-Site", "cross-site")).body())
          .contains("Procurar utente")
          .doesNotContain("elsewhere-continue");
    }

    @Test
    void oneSearchIsAuditedAsOnePatientSearchNamingEveryRecordItShows() {
      // Her name changed at hospital B: a search by either name finds one record, and the page
      // reads the other (linked) record for the person's name, within the same audited search.
      String[] mrns = linkedPerson("REG-P" + tag.toUpperCase(), "Rita", "Lopes", "Pereira");
      String mrnL = mrns[0];
      String mrnP = mrns[1];
      asAna("/"); // signed in
      for (String query :
          List.of(
              "/?identifier=" + q(mrnL) + "&site=hospital-a",
              "/?identifier=" + q(mrnP),
              "/?name=" + q("pereira" + tag) + "&birthDate=1970-01-02",
              "/?name=" + q("Lopes" + tag) + "&birthDate=1970-01-02")) {
        long before = lastAuditSeq();
        String body = asAna(query).body();
        assertThat(body).as(query).contains(mrnL, mrnP, "Pereira" + tag, "Lopes" + tag);
        List<String[]> written = auditedForAnaSince(before);
        assertThat(written.stream().map(r -> r[0] + " " + r[1]))
            .as(query)
            .containsExactly("search Patient");
        assertThat(written.get(0)[2].split(","))
            .as(query)
            .containsExactlyInAnyOrder(hubPatientId(mrnL), hubPatientId(mrnP));
      }
    }

    @Test
    void aLinkedRecordConsentWithholdsIsNeitherShownNorNamedOnThePagesOrInTheSearchsRecord() {
      // She shares her hospital A record with the clinic, not her hospital B one.
      String regionalS = "REG-S" + tag.toUpperCase();
      String[] mrns = linkedPerson(regionalS, "Inês", "Sousa", "Sousa Reis");
      String mrnS = mrns[0];
      String mrnW = mrns[1];
      HubFhir.denyClinicNorteAt(mrnS, "hospital-b");
      asAna("/"); // signed in
      long before = lastAuditSeq();
      String body = asAna("/?identifier=" + q(mrnS) + "&site=hospital-a").body();
      assertThat(body)
          .containsPattern("<a href=\"/clinician/patients/[^\"]+\">Inês Sousa" + tag + "</a>")
          .contains(mrnS)
          // not even her identifier there: it would say that she has a record at hospital B
          .doesNotContain("Sousa Reis" + tag, "Nome em cada hospital", mrnW);
      List<String[]> written = auditedForAnaSince(before);
      assertThat(written.stream().map(r -> r[0] + " " + r[1])).containsExactly("search Patient");
      assertThat(written.get(0)[2]).isEqualTo(hubPatientId(mrnS));
      String timeline = "/clinician/patients/" + hubPatientId(mrnS);
      assertThat(asAna(timeline).body()).contains(mrnS).doesNotContain(mrnW);

      // Under an emergency grant the clinic sees it: shown, named, and the grant's use recorded.
      String person = IdentifierSystems.REGIONAL_ID + "|" + regionalS;
      assertThat(postEmergency(person, "Urgência", "1", null).statusCode()).isLessThan(400);
      before = lastAuditSeq();
      body = asAna("/?identifier=" + q(mrnS) + "&site=hospital-a").body();
      assertThat(body).contains("Sousa Reis" + tag, mrnW);
      written = auditedForAnaSince(before);
      assertThat(written.stream().map(r -> r[0] + " " + r[1]))
          .containsExactlyInAnyOrder("search Patient", "read EmergencyAccess use");
      for (String[] r : written) {
        assertThat(r[2].split(",")).as(r[1]).contains(hubPatientId(mrnW));
      }
      String[] search = written.stream().filter(r -> r[1].equals("Patient")).findFirst().get();
      assertThat(search[2].split(","))
          .containsExactlyInAnyOrder(hubPatientId(mrnS), hubPatientId(mrnW));
      assertThat(asAna(timeline).body()).contains(mrnS, mrnW);

      // A search whose match only the grant shows records the grant's use as well, naming it.
      before = lastAuditSeq();
      body = asAna("/?identifier=" + q(mrnW) + "&site=hospital-b").body();
      assertThat(body).contains(mrnW, mrnS, "Sousa Reis" + tag);
      written = auditedForAnaSince(before);
      assertThat(written.stream().map(r -> r[0] + " " + r[1]))
          .containsExactlyInAnyOrder("search Patient", "read EmergencyAccess use");
      String[] use = written.stream().filter(r -> !r[1].equals("Patient")).findFirst().get();
      assertThat(use[2].split(",")).containsExactly(hubPatientId(mrnW));
    }

    /**
     * Consent withholds the record whose id sorts first, the one a person's link and the regional
     * id's lookup used to take: the person is still found, by identifier and by regional id, and
     * her link opens the timeline of the record shown instead of a refusal.
     */
    @Test
    void aPersonWithOneRecordWithheldIsFoundAndOpensByTheRecordShown() {
      String regionalO = "REG-O" + tag.toUpperCase();
      String[] mrns = linkedPerson(regionalO, "Rui", "Mota", "Mota");
      String idA = hubPatientId(mrns[0]);
      String idB = hubPatientId(mrns[1]);
      boolean aFirst = idA.compareTo(idB) < 0;
      HubFhir.denyClinicNorteAt(mrns[0], aFirst ? "hospital-a" : "hospital-b");
      String link = "href=\"/clinician/patients/" + (aFirst ? idB : idA) + "\"";
      String bySite =
          asAna(
                  "/?identifier="
                      + q(aFirst ? mrns[1] : mrns[0])
                      + "&site=hospital-"
                      + (aFirst ? "b" : "a"))
              .body();
      assertThat(bySite).contains(link);
      assertThat(asAna("/clinician/patients/" + (aFirst ? idB : idA)).statusCode()).isEqualTo(200);
      String byRegional = asAna("/?regional=" + q(regionalO.toLowerCase())).body();
      assertThat(rows(byRegional)).isEqualTo(1);
      assertThat(byRegional).contains(link);
    }

    @Test
    void theBodySiteIsInThePagesLanguageAndAnUncodedTermAsTheModalityWroteIt() {
      String mrn = FhirStudies.mrn();
      HubFhir.published(
          "ponte-node-hospital-a",
          FhirStudies.study("hospital-a", mrn).bodySite(new Coding().setDisplay("PELVIS")));
      WebSignIn english = WebSignIn.signIn(url("/"), "ana.clinic").browser();
      english.get(url("/web/locale?lang=en&next=/"), Map.of());
      assertThat(english.get(url("/clinician/patients/" + patientIdOf(mrnA)), Map.of()).body())
          .contains("<td data-label=\"Body part\">Chest</td>");
      assertThat(english.get(url("/clinician/patients/" + patientIdOf(mrn)), Map.of()).body())
          .contains("<td data-label=\"Body part\">PELVIS</td>");
      assertThat(asAna("/clinician/patients/" + patientIdOf(mrn)).body())
          .contains("<td data-label=\"Região anatómica\">PELVIS</td>");
    }

    @Test
    void eachPriorHasAThumbnailThatIsAnImageEvenWhenTheSiteCannotBeReached() throws Exception {
      // No node runs in this profile: the retrieve fails as for an unreachable site, and the
      // timeline still gets a picture (the placeholder), with the retrieve's status.
      String body = asAna("/clinician/patients/" + patientIdOf(mrnA)).body();
      assertThat(body).contains("src=\"/clinician/studies/" + uidA + "/thumbnail\"");
      HttpResponse<String> thumb = asAna("/clinician/studies/" + uidA + "/thumbnail");
      assertThat(thumb.headers().firstValue("Content-Type").orElse("")).startsWith("image/jpeg");
      assertThat(thumb.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(thumb.statusCode()).isNotEqualTo(200).isGreaterThanOrEqualTo(500);
      assertThat(asAna("/clinician/studies/1.2.999.404/thumbnail").statusCode()).isEqualTo(404);
      assertThat(asAna("/clinician/studies/not-a-uid/thumbnail").statusCode()).isEqualTo(404);
    }

    @Test
    void withoutAConfiguredPacsThereIsNoSendButtonAndTheSendPageSaysSo() {
      // The test profile configures no PACS for clinic-norte (SendToPacsIT sends to a real one).
      String timeline = asAna("/clinician/patients/" + patientIdOf(mrnA)).body();
      assertThat(timeline).doesNotContain("/clinician/send?");
      HttpResponse<String> page = asAna("/clinician/send?study=" + uidA);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains("Enviar para o meu PACS", "não tem um PACS configurado")
          .doesNotContain("<form class=\"send\"", "id=\"send-error\"");
      assertThat(asAna("/clinician/send/00000000-0000-0000-0000-000000000000").statusCode())
          .isEqualTo(404);
    }

    @Test
    void theSendPageNamesTheStudyByPatientDateModalityAndDescriptionWithTheUidAsDetail() {
      String body = asAna("/clinician/send?study=" + uidA).body();
      assertThat(body)
          .contains("<dl class=\"study\" id=\"send-study\">")
          .contains("<dt>Utente</dt><dd>Maria Gonçalves" + tag + "</dd>")
          .contains("<time datetime=\"2024-03-05T10:00:00Z\">05/03/2024</time>")
          .contains("<dt>Tipo</dt><dd>CT</dd>")
          .contains("<dd>CT torax " + tag + "</dd>", "<dd>Hospital A</dd>")
          .contains("<dd><small><code>" + uidA + "</code></small></dd>");
      // A study the clinician cannot see (here: none has this UID) is named by its UID alone.
      assertThat(asAna("/clinician/send?study=1.2.999.404").body())
          .doesNotContain("id=\"send-study\"")
          .contains("Exame: <code>1.2.999.404</code>");
    }

    @Test
    void theProgressPageNamesTheStudyAsTheConfirmationDoesInPortugueseAndEnglish() {
      String job = sendJobOfAna(uidA);
      HttpResponse<String> page = asAna("/clinician/send/" + job);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains("A enviar para o meu PACS", "<h2 id=\"send-study-title\">O exame</h2>")
          .contains("<dl class=\"study\" id=\"send-study\">")
          .contains("<dt>Utente</dt><dd>Maria Gonçalves" + tag + "</dd>")
          .contains("<time datetime=\"2024-03-05T10:00:00Z\">05/03/2024</time>")
          // the body part in the page's language, as the timeline names it
          .contains("<dt>Tipo</dt><dd>CT</dd>", "<dt>Região anatómica</dt><dd>Tórax</dd>")
          .contains("<dd>CT torax " + tag + "</dd>", "<dd>Hospital A</dd>")
          .contains("<dd><small><code>" + uidA + "</code></small></dd>")
          .contains("id=\"send-progress\"", "data-state=\"queued\"");
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
      String english =
          ana.get(url("/clinician/send/" + job), Map.of("Accept-Language", "en")).body();
      assertThat(english)
          .contains(
              "<html lang=\"en\"",
              "Sending to my PACS",
              "<h2 id=\"send-study-title\">The study</h2>")
          .contains("<dt>Patient</dt><dd>Maria Gonçalves" + tag + "</dd>")
          .contains("<dt>Type</dt><dd>CT</dd>", "<dt>Body part</dt><dd>Chest</dd>")
          .contains("<dt>Study Instance UID</dt><dd><small><code>" + uidA + "</code></small></dd>");
    }

    @Test
    void theProgressPageNamesTheDestinationInWordsWithTheTechnicalLineAsSmallPrint() {
      // The job went to a PACS that is not (or no longer) the clinic's configured one: the page
      // says "your clinic's PACS" in its language, the recorded AE title @ address apart for IT.
      String job = sendJobOfAna(uidA);
      String pt = asAna("/clinician/send/" + job).body();
      assertThat(pt)
          .contains(
              "<p id=\"send-destination\">Destino: <strong id=\"send-destination-name\">O PACS da"
                  + " sua clínica</strong>",
              "<small class=\"technical\">Detalhe técnico: <code"
                  + " id=\"send-destination-technical\">PACS_TEST@pacs.clinic.example:104</code></small>")
          .doesNotContain("Para PACS_TEST", "<strong id=\"send-destination-name\">PACS_TEST");
      String en = ana.get(url("/clinician/send/" + job), Map.of("Accept-Language", "en")).body();
      assertThat(en)
          .contains(
              // (the apostrophe is HTML-escaped)
              "Destination: <strong id=\"send-destination-name\">Your clinic",
              "Technical detail: <code id=\"send-destination-technical\">"
                  + "PACS_TEST@pacs.clinic.example:104</code>");
    }

    @Test
    void aFailedSendSaysWhyInThePagesLanguageWithTheRecordedReasonAsSmallPrint() {
      String queued = sendJobOfAna(uidA);
      assertThat(asAna("/clinician/send/" + queued).body()).contains("id=\"send-reason\" hidden");
      assertThat(
              new JsonPath(asAna("/clinician/send/" + queued + "/progress").body())
                  .getString("failure"))
          .isNull();
      String job = sendJobOfAna(uidA);
      String reason =
          "the PACS PACS_TEST at pacs.clinic.example:104 did not accept an association:"
              + " Connection refused";
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                SendJobEntity e = db.em().find(SendJobEntity.class, job);
                e.state = "failed";
                e.failure = SendFailure.PACS_UNREACHABLE;
                e.reason = reason;
                e.finishedAt = Instant.now();
              });
      String pt = asAna("/clinician/send/" + job).body();
      assertThat(pt)
          .contains(
              "<span id=\"send-reason-words\">Não foi possível contactar o PACS da sua clínica,"
                  + " ou este não aceitou as imagens;",
              "Detalhe técnico: <code id=\"send-reason-technical\">" + reason + "</code>")
          .doesNotContain("id=\"send-reason\" hidden");
      String en = ana.get(url("/clinician/send/" + job), Map.of("Accept-Language", "en")).body();
      assertThat(en)
          .contains(
              "PACS could not be reached or did not accept the images;",
              "Technical detail: <code id=\"send-reason-technical\">" + reason + "</code>")
          .doesNotContain("Não foi possível");
      // what the page's script polls says it in the page's language too, the reason beside it
      JsonPath polled = new JsonPath(asAna("/clinician/send/" + job + "/progress").body());
      assertThat(polled.getString("state")).isEqualTo("failed");
      assertThat(polled.getString("reason")).isEqualTo(reason);
      assertThat(polled.getString("failure"))
          .startsWith("Não foi possível contactar o PACS da sua clínica");
    }

    @Test
    void aRefusedSendSaysWhyInThePagesLanguage() {
      String token = csrfToken();
      // No PACS is configured for clinic-norte in this profile: the service refuses (409).
      HttpResponse<String> pt =
          ana.post(url("/clinician/send"), Map.of("csrf-token", token, "study", uidA), Map.of());
      assertThat(pt.statusCode()).isEqualTo(409);
      assertThat(pt.body())
          .contains("<div class=\"problem\" role=\"alert\" id=\"send-error\">")
          .contains(
              "O exame não foi enviado: a sua clínica não tem um PACS configurado para envios.")
          .doesNotContain("no PACS is configured for organisation");
      HttpResponse<String> notAUid =
          ana.post(
              url("/clinician/send"),
              Map.of("csrf-token", token, "study", "not-a-uid"),
              Map.of("Accept-Language", "en"));
      assertThat(notAUid.body()).contains("The study was not sent: this is not a study UID.");
    }

    @Test
    void aSendWhoseStudyMayNoLongerBeSeenStillShowsTheJobByTheStudysUid() {
      String mrn = FhirStudies.mrn();
      var study =
          FhirStudies.study("hospital-a", mrn)
              .name("Withdrawn" + tag, "Rosa")
              .description("RX mao " + tag)
              .started("2024-06-01T08:00:00Z");
      published("ponte-node-hospital-a", study);
      String job = sendJobOfAna(study.uidValue());
      assertThat(asAna("/clinician/send/" + job).body()).contains("RX mao " + tag);
      // The patient withdraws consent from Clínica Norte while the send is under way.
      HubFhir.denyClinicNorte(mrn);
      HttpResponse<String> page = asAna("/clinician/send/" + job);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains("A enviar para o meu PACS", "id=\"send-progress\"")
          .contains("Exame: <code>" + study.uidValue() + "</code>")
          .doesNotContain("id=\"send-study\"", "Withdrawn" + tag, "RX mao " + tag);
    }

    @Test
    void aPriorAtAnUnreachableSiteOpensOnAPageThatSaysSoAndOffersToTryAgain() {
      String back = "/clinician/patients/" + patientIdOf(mrnA);
      HttpResponse<String> page = asAna(RestorePages.href(uidA, back));
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(page.body())
          .contains("data-state=\"SITE_UNREACHABLE\"", "Hospital A não está acessível agora")
          .contains("id=\"restore-retry\" href=\"/clinician/restore?study=" + uidA)
          .contains("CT torax " + tag, "<a href=\"" + back + "\">")
          // nothing to start, no page reload, no viewer
          .doesNotContain("http-equiv=\"refresh\"", "/viewer/");
      // no form but the header's sign-out
      assertThat(mainOf(page.body())).doesNotContain("<form");
    }

    @Test
    void theViewersRouteSentHereForAStudyNotOnlineStaysOnThePage() {
      HttpResponse<String> page = asAna("/clinician/restore?open=viewer&study=" + uidA);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("data-state=\"SITE_UNREACHABLE\"");
    }

    @Test
    void startingARestoreAtAnUnreachableSiteIsRefusedOnThePageAndNeedsTheFormsCsrfToken() {
      String token = csrfToken();
      HttpResponse<String> posted =
          ana.post(url("/clinician/restore"), Map.of("study", uidA, "csrf-token", token));
      assertThat(posted.statusCode()).isEqualTo(503);
      assertThat(posted.body())
          .contains(
              "id=\"restore-error\"",
              "O restauro não foi iniciado: o hospital que o guarda não respondeu")
          // the page's words, not the API's English detail
          .doesNotContain("other sites are unaffected")
          .contains("data-state=\"SITE_UNREACHABLE\"");
      assertThat(ana.post(url("/clinician/restore"), Map.of("study", uidA)).statusCode())
          .isEqualTo(400);
      assertThat(
              ana.post(
                      url("/clinician/restore"),
                      Map.of("study", uidA, "csrf-token", "forged-token-value"))
                  .statusCode())
          .isEqualTo(400);
    }

    @Test
    void aStudyWithheldByConsentIsNeitherShownNorRestored() {
      String mrn = FhirStudies.mrn();
      var study =
          FhirStudies.study("hospital-a", mrn)
              .name("Withheld" + tag, "Rosa")
              .description("RX torax " + tag);
      published("ponte-node-hospital-a", study);
      HubFhir.denyClinicNorte(mrn);
      HttpResponse<String> page = asAna(RestorePages.href(study.uidValue(), "/"));
      assertThat(page.statusCode()).isEqualTo(403);
      assertThat(page.body())
          .contains("id=\"restore-refused\"", "consentimento de partilha do utente")
          .doesNotContain("Withheld" + tag, "RX torax " + tag);
      assertThat(mainOf(page.body())).doesNotContain("<form");
      HttpResponse<String> posted =
          ana.post(
              url("/clinician/restore"),
              Map.of("study", study.uidValue(), "csrf-token", csrfToken()));
      assertThat(posted.statusCode()).isEqualTo(403);
      assertThat(posted.body()).contains("id=\"restore-refused\"").doesNotContain("RX torax");
    }

    @Test
    void theRestorePageIsInEnglishToo() {
      WebSignIn english = WebSignIn.signIn(url("/"), "ana.clinic").browser();
      english.get(url("/web/locale?lang=en&next=/"), Map.of());
      assertThat(english.get(url(RestorePages.href(uidB, "/")), Map.of()).body())
          .contains("<html lang=\"en\"", "Open a study that is not online")
          .contains("Hospital B cannot be reached now", "Try again");
    }

    @Test
    void aTimelineWhoseConsentWasRevokedSaysWithheldWithTheEmergencyLinkNotProblemJson() {
      String mrn = FhirStudies.mrn();
      var study =
          FhirStudies.study("hospital-a", mrn)
              .name("Vieira" + tag, "Inês")
              .started("2024-02-01T09:00:00Z");
      published("ponte-node-hospital-a", study);
      String id = patientIdOf(mrn); // open before her consent changes
      HubFhir.denyClinicNorte(mrn);
      Map<String, String> browser =
          Map.of("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
      HttpResponse<String> page = ana.get(url("/clinician/patients/" + id), browser);
      assertThat(page.statusCode()).isEqualTo(403);
      assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
      assertThat(page.body())
          .contains("<html lang=\"pt\"", "Os registos deste utente foram retidos")
          .contains(EmergencyAccessLink.form("Patient/" + id))
          .doesNotContain("ponte:consent-denied", "does not allow sharing", "Vieira" + tag);
      // a client that does not ask for HTML, and the APIs, keep their problem+json
      HttpResponse<String> json = ana.get(url("/clinician/patients/" + id), Map.of());
      assertThat(json.statusCode()).isEqualTo(403);
      assertThat(json.body()).contains("ponte:consent-denied");
      given()
          .auth()
          .oauth2(Tokens.user("ana.clinic"))
          .header("Accept", browser.get("Accept"))
          .get("/dicomweb/studies/" + study.uidValue() + "/metadata")
          .then()
          .statusCode(403)
          .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"));
    }

    @Test
    void anUnknownPatientIdIsNotFound() {
      assertThat(asAna("/clinician/patients/no-such-patient").statusCode()).isEqualTo(404);
    }
  }

  @Nested
  @DisplayName("before sign-in and as another role")
  class OthersAreTurnedAway {

    @Test
    void aVisitorIsSentToKeycloak() {
      HttpResponse<String> r = WebSignIn.visitor().get(url("/"), Map.of());
      assertThat(r.statusCode()).isEqualTo(302);
      assertThat(WebSignIn.location(r))
          .contains("client_id=ponte-web", "code_challenge_method=S256");
      r = WebSignIn.visitor().get(url("/clinician/patients/x"), Map.of());
      assertThat(r.statusCode()).isEqualTo(302);
    }

    @Test
    void aPatientGetsTheFriendly403Page() {
      HttpResponse<String> page = WebSignIn.signIn(url("/"), "maria.patient").landed();
      assertThat(page.statusCode()).isEqualTo(403);
      assertThat(page.body()).contains("Acesso não permitido").doesNotContain(mrnA);
    }

    @Test
    void aPatientGetsNoThumbnail() {
      HttpResponse<String> r =
          WebSignIn.signIn(url("/clinician/studies/" + uidA + "/thumbnail"), "maria.patient")
              .landed();
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    }

    @Test
    void onlyAClinicianMayOpenEmergencyAccess() {
      for (String user : List.of("maria.patient", "rita.authority")) {
        HttpResponse<String> form =
            WebSignIn.signIn(url("/clinician/emergency-access?patient=" + q(mrnA)), user).landed();
        assertThat(form.statusCode()).as(user).isEqualTo(403);
        assertThat(form.body()).as(user).contains("Acesso não permitido");
      }
    }

    @Test
    void onlyAClinicianMaySendToAPacs() {
      for (String user : List.of("maria.patient", "rita.authority")) {
        HttpResponse<String> form =
            WebSignIn.signIn(url("/clinician/send?study=" + uidA), user).landed();
        assertThat(form.statusCode()).as(user).isEqualTo(403);
        assertThat(form.body()).as(user).contains("Acesso não permitido");
      }
    }

    @Test
    void onlyAClinicianMayOpenOrRestoreAnArchivedStudy() {
      for (String user : List.of("maria.patient", "rita.authority")) {
        WebSignIn.Signed signed = WebSignIn.signIn(url(RestorePages.href(uidA, "/")), user);
        assertThat(signed.landed().statusCode()).as(user).isEqualTo(403);
        assertThat(signed.landed().body())
            .as(user)
            .contains("Acesso não permitido")
            .doesNotContain("CT torax");
        HttpResponse<String> posted =
            signed.browser().post(url("/clinician/restore"), Map.of("study", uidA));
        assertThat(posted.statusCode()).as(user).isIn(400, 403);
      }
    }

    @Test
    void aPatientSentByTheViewersRouteGoesOnToTheViewerUnlooked() {
      // OHIF is the patient's too (their own studies, decided by the hub's DICOMweb).
      WebSignIn patient = WebSignIn.signIn(url("/"), "maria.patient").browser();
      HttpResponse<String> r =
          patient.get(url("/clinician/restore?open=viewer&study=" + uidA), Map.of());
      assertThat(r.statusCode()).isEqualTo(303);
      assertThat(WebSignIn.location(r)).endsWith("/viewer/viewer/ponte?StudyInstanceUIDs=" + uidA);
      // a deep link's series go on with it, checked again here
      HttpResponse<String> deep =
          patient.get(
              url(
                  "/clinician/restore?open=viewer&study="
                      + uidA
                      + "&viewer=SeriesInstanceUIDs%3D1.2.3%26configUrl%3Dhttps%3A%2F%2Fevil"),
              Map.of());
      assertThat(WebSignIn.location(deep))
          .endsWith("/viewer/viewer/ponte?StudyInstanceUIDs=" + uidA + "&SeriesInstanceUIDs=1.2.3");
      // another of the viewer's modes goes back to that mode; what is no mode opens nothing
      HttpResponse<String> mode =
          patient.get(url("/clinician/restore?open=segmentation&study=" + uidA), Map.of());
      assertThat(WebSignIn.location(mode))
          .endsWith("/viewer/segmentation/ponte?StudyInstanceUIDs=" + uidA);
      assertThat(
              patient
                  .get(url("/clinician/restore?open=javascript:alert(1)&study=" + uidA), Map.of())
                  .statusCode())
          .isEqualTo(403);
      // without open=viewer the page is the clinician's alone
      assertThat(patient.get(url(RestorePages.href(uidA, "/")), Map.of()).statusCode())
          .isEqualTo(403);
    }

    @Test
    void theAuthorityToo() {
      for (String typed : List.of(regional, regional.toLowerCase())) {
        HttpResponse<String> page =
            WebSignIn.signIn(url("/?regional=" + q(typed)), "rita.authority").landed();
        assertThat(page.statusCode()).as(typed).isEqualTo(403);
        assertThat(page.body()).as(typed).doesNotContain(mrnA);
      }
    }
  }

  /**
   * A queued send of {@code studyUid} by ana.clinic, as SendService records one: no PACS is
   * configured in this profile, so no send can start here (SendToPacsIT sends to real ones).
   */
  /** ana.clinic posts the emergency form (with its CSRF token), in English when {@code lang}. */
  HttpResponse<String> postEmergency(String patient, String reason, String hours, String lang) {
    asAna("/"); // signed in
    Map<String, String> headers = lang == null ? Map.of() : Map.of("Accept-Language", lang);
    String form = ana.get(url("/clinician/emergency-access?patient=" + q(patient)), headers).body();
    Matcher token = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(form);
    assertThat(token.find()).isTrue();
    return ana.post(
        url("/clinician/emergency-access"),
        Map.of("csrf-token", token.group(1), "patient", patient, "reason", reason, "hours", hours),
        headers);
  }

  String sendJobOfAna(String studyUid) {
    String payload = Tokens.user("ana.clinic").split("\\.")[1];
    SendJobEntity job = new SendJobEntity();
    job.id = UUID.randomUUID().toString();
    job.organization = "clinic-norte";
    job.subject =
        new JsonPath(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
            .getString("sub");
    job.username = "ana.clinic";
    job.studyUid = studyUid;
    job.destination = "PACS_TEST@pacs.clinic.example:104";
    job.state = "queued";
    job.total = 3;
    job.createdAt = Instant.now();
    QuarkusTransaction.requiringNew().run(() -> db.em().persist(job));
    return job.id;
  }

  /**
   * One person's records at hospital A and B (family names {@code familyA}, {@code familyB} + the
   * tag), linked under {@code regionalId}: their MRNs.
   */
  String[] linkedPerson(String regionalId, String given, String familyA, String familyB) {
    String mrnA = FhirStudies.mrn();
    String mrnB = FhirStudies.mrn();
    published(
        "ponte-node-hospital-a", FhirStudies.study("hospital-a", mrnA).name(familyA + tag, given));
    published(
        "ponte-node-hospital-b", FhirStudies.study("hospital-b", mrnB).name(familyB + tag, given));
    HubFhir.link(
        regionalId, List.of(identifier("hospital-a", mrnA), identifier("hospital-b", mrnB)));
    return new String[] {mrnA, mrnB};
  }

  long lastAuditSeq() {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                ((Number)
                        db.em()
                            .createNativeQuery("select coalesce(max(seq), 0) from audit_record")
                            .getSingleResult())
                    .longValue());
  }

  /** ana.clinic's audit records after {@code seq}: action, resource type and patient ids each. */
  List<String[]> auditedForAnaSince(long seq) {
    List<?> rows =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    db.em()
                        .createNativeQuery(
                            "select action, resource_type, patient_ids from audit_record"
                                + " where seq > ?1 and username = 'ana.clinic' order by seq")
                        .setParameter(1, seq)
                        .getResultList());
    return rows.stream()
        .map(r -> java.util.Arrays.stream((Object[]) r).map(String::valueOf).toArray(String[]::new))
        .toList();
  }

  /** The hub Patient id of one hospital's record (not the person's first, as the search links). */
  String hubPatientId(String mrn) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                db.em()
                    .createQuery(
                        "select p.id from PatientEntity p where p.identifierValue = ?1",
                        String.class)
                    .setParameter(1, mrn)
                    .getSingleResult());
  }

  /**
   * ana's CSRF token, from a form she is shown (the emergency access form: the unreachable and
   * refused states of the restore page have none). One token per browser: each page with a form
   * signs a fresh one into the cookie, so take it after the last such page.
   */
  String csrfToken() {
    String page = asAna("/clinician/emergency-access?patient=" + q(regional)).body();
    Matcher m = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(page);
    assertThat(m.find()).as("a CSRF token in the form").isTrue();
    return m.group(1).replace("&#61;", "=");
  }

  String patientIdOf(String mrn) {
    Matcher m =
        Pattern.compile("href=\"(/clinician/patients/[^\"]+)\"")
            .matcher(asAna("/?identifier=" + q(mrn)).body());
    assertThat(m.find()).isTrue();
    return m.group(1).substring("/clinician/patients/".length());
  }

  private static int rows(String body) {
    Matcher m = Pattern.compile("href=\"/clinician/patients/").matcher(body);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static String letters(int n) {
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('a' + random.nextInt(26)));
    }
    return b.toString();
  }

  /** The page's {@code <main>}: what the page itself shows, without the header's sign-out form. */
  static String mainOf(String html) {
    int main = html.indexOf("<main");
    assertThat(main).as("a <main> element").isNotNegative();
    return html.substring(main);
  }
}
