package io.ponte.hub.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A clinic's PACS as the send pages name it: the configured name for the clinician, the protocol
 * and address apart for the clinic's IT; without a name, no AE title passed off as one.
 */
class SendDestinationsTest {

  @Test
  void aNamedPacsIsShownByItsNameWithTheAeTitleAndAddressAsTechnicalDetail() {
    SendDestinations.Target t =
        destinations(dimse(Optional.of("PACS da Clínica Norte"), "CLINIC_NORTE", "10.0.0.7:104"))
            .of("clinic-norte")
            .orElseThrow();
    assertThat(t.displayName()).isEqualTo("PACS da Clínica Norte");
    assertThat(t.technical()).isEqualTo("DIMSE C-STORE → CLINIC_NORTE @ 10.0.0.7:104");
    // the job and the audit keep naming it in full
    assertThat(t.describe())
        .isEqualTo("PACS da Clínica Norte (DIMSE C-STORE → CLINIC_NORTE @ 10.0.0.7:104)");
  }

  @Test
  void anUnnamedPacsHasNoDisplayNameSoThePageSaysYourClinicsPacs() {
    SendDestinations.Target dimse =
        destinations(dimse(Optional.empty(), "CLINIC_NORTE", "10.0.0.7:104"))
            .of("clinic-norte")
            .orElseThrow();
    assertThat(dimse.displayName()).isNull();
    assertThat(dimse.describe())
        .isEqualTo("CLINIC_NORTE (DIMSE C-STORE → CLINIC_NORTE @ 10.0.0.7:104)");
    SendDestinations.Target blank =
        destinations(dimse(Optional.of("  "), "CLINIC_NORTE", "10.0.0.7:104"))
            .of("clinic-norte")
            .orElseThrow();
    assertThat(blank.displayName()).isNull();
    SendDestinations.Target stow =
        destinations(stow(URI.create("https://pacs.example/dicom-web/studies")))
            .of("clinic-norte")
            .orElseThrow();
    assertThat(stow.displayName()).isNull();
    assertThat(stow.technical())
        .isEqualTo("DICOMweb STOW-RS → https://pacs.example/dicom-web/studies");
  }

  @Test
  void anotherOrganisationHasNoPacs() {
    assertThat(
            destinations(dimse(Optional.of("PACS"), "CLINIC_NORTE", "10.0.0.7:104"))
                .of("hospital-a"))
        .isEmpty();
  }

  private static SendDestinations destinations(SendConfig.Destination clinicNorte) {
    SendDestinations d = new SendDestinations();
    d.config =
        new SendConfig() {
          @Override
          public Map<String, Destination> destinations() {
            return Map.of("clinic-norte", clinicNorte);
          }

          @Override
          public int workers() {
            return 1;
          }

          @Override
          public Duration progressInterval() {
            return Duration.ofMillis(250);
          }
        };
    return d;
  }

  private static SendConfig.Destination dimse(Optional<String> name, String ae, String address) {
    SendConfig.Dimse dimse =
        new SendConfig.Dimse() {
          @Override
          public String aeTitle() {
            return ae;
          }

          @Override
          public Optional<String> address() {
            return Optional.of(address);
          }
        };
    return destination(name, Optional.of(dimse), Optional.empty());
  }

  private static SendConfig.Destination stow(URI url) {
    return destination(
        Optional.empty(), Optional.empty(), Optional.of(StowTokensTest.stow(url, null)));
  }

  private static SendConfig.Destination destination(
      Optional<String> name, Optional<SendConfig.Dimse> dimse, Optional<SendConfig.Stow> stow) {
    return new SendConfig.Destination() {
      @Override
      public Optional<String> name() {
        return name;
      }

      @Override
      public Optional<SendConfig.Dimse> dimse() {
        return dimse;
      }

      @Override
      public Optional<SendConfig.Stow> stow() {
        return stow;
      }
    };
  }
}
