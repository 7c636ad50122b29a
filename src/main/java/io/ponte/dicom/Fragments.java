package io.ponte.dicom;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Encapsulated pixel data (PS3.5 A.4): the Basic Offset Table item followed by the fragment items,
 * kept byte-exact as read so compressed frames pass through untouched. Items have even length.
 */
public final class Fragments {

  private final VR vr;
  private final List<byte[]> items;

  /** An empty value of the given VR (OB, or OW as some old writers use). */
  public Fragments(VR vr) {
    this.vr = vr;
    this.items = new ArrayList<>();
  }

  /** From an offset table (may be empty) and fragments. */
  public Fragments(VR vr, byte[] offsetTable, List<byte[]> fragments) {
    this(vr);
    items.add(offsetTable == null ? new byte[0] : offsetTable);
    items.addAll(fragments);
  }

  public VR vr() {
    return vr;
  }

  /** Appends an item: the first one added is the Basic Offset Table. */
  public void add(byte[] item) {
    items.add(item);
  }

  /** The Basic Offset Table (often empty); an empty array when there are no items at all. */
  public byte[] offsetTable() {
    return items.isEmpty() ? new byte[0] : items.get(0);
  }

  /** The fragments after the offset table. */
  public List<byte[]> fragments() {
    return items.isEmpty()
        ? List.of()
        : Collections.unmodifiableList(items.subList(1, items.size()));
  }

  /** All items in order, offset table first, as they are encoded. */
  public List<byte[]> items() {
    return Collections.unmodifiableList(items);
  }

  /** Number of items including the offset table. */
  public int size() {
    return items.size();
  }

  /** Total bytes of item values. */
  public long byteCount() {
    long n = 0;
    for (byte[] b : items) {
      n += b.length;
    }
    return n;
  }
}
