package io.ponte.node.storage.blob;

/**
 * Azure Blob access tiers, warmest first: HOT and COOL are read at once, COLD too (cheaper to keep,
 * dearer to read), ARCHIVE is offline until rehydrated (hours on Azure).
 */
public enum BlobTier {
  HOT,
  COOL,
  COLD,
  ARCHIVE;

  /** Whether this tier is colder than {@code other}. */
  public boolean colderThan(BlobTier other) {
    return ordinal() > other.ordinal();
  }

  /** The tier of a stored name (the index keeps the enum name); null for null. */
  public static BlobTier of(String name) {
    return name == null ? null : valueOf(name);
  }
}
