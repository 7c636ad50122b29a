package io.ponte.testing;

import com.azure.storage.blob.BlobServiceClientBuilder;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A blob container of one test class's own on the Azurite the tests run against (the development
 * account on 127.0.0.1:10000), dropped after the class: {@code @RegisterExtension static final
 * AzuriteContainer AZURITE = new AzuriteContainer("ponte-x-");}.
 */
public final class AzuriteContainer implements AfterAllCallback {

  /** The port services.sh starts Azurite's blob service on. */
  public static final int PORT = 10000;

  private final String name;

  /** A container named {@code prefix} and eight random characters. */
  public AzuriteContainer(String prefix) {
    this.name = prefix + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Azurite's well-known development account (demo and tests only) on {@code port}. */
  public static String connectionString(int port) {
    return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + "BlobEndpoint=http://127.0.0.1:"
        + port
        + "/devstoreaccount1;";
  }

  public String connectionString() {
    return connectionString(PORT);
  }

  public String name() {
    return name;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    new BlobServiceClientBuilder()
        .connectionString(connectionString())
        .buildClient()
        .getBlobContainerClient(name)
        .deleteIfExists();
  }
}
