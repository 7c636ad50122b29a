package io.ponte.dicom;

import java.util.ArrayList;

/**
 * The items of a sequence (SQ) element. Items added here get the enclosing data set as parent, so
 * they inherit its Specific Character Set unless they carry their own.
 */
public final class Sequence extends ArrayList<Attributes> {

  private static final long serialVersionUID = 1L;

  private final transient Attributes parent;

  Sequence(Attributes parent) {
    super(2);
    this.parent = parent;
  }

  /** The data set holding this sequence. */
  public Attributes parent() {
    return parent;
  }

  /** Appends and returns a new empty item. */
  public Attributes addItem() {
    Attributes item = new Attributes();
    add(item);
    return item;
  }

  @Override
  public boolean add(Attributes item) {
    item.setParent(parent);
    return super.add(item);
  }

  @Override
  public void add(int index, Attributes item) {
    item.setParent(parent);
    super.add(index, item);
  }
}
