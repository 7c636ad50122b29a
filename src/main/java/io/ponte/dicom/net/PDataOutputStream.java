package io.ponte.dicom.net;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Fragments a command or data set into PDVs no longer than the peer's maximum PDU length. The last
 * buffered fragment is held back until {@link #close()}, so that it can carry the "last fragment"
 * bit.
 */
final class PDataOutputStream extends OutputStream {

  private final PduOutput out;
  private final int pcId;
  private final int commandBit;
  private final byte[] buf;
  private int count;
  private boolean closed;

  /**
   * @param maxDataPerPdv the peer's maximum PDU length minus the PDV header (6 bytes)
   */
  PDataOutputStream(PduOutput out, int pcId, boolean command, int maxDataPerPdv) {
    this.out = out;
    this.pcId = pcId;
    this.commandBit = command ? Pdu.MCH_COMMAND : 0;
    this.buf = new byte[maxDataPerPdv];
  }

  @Override
  public void write(int b) throws IOException {
    if (count == buf.length) {
      emit(false);
    }
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (count == buf.length) {
        emit(false);
      }
      int n = Math.min(len, buf.length - count);
      System.arraycopy(b, off, buf, count, n);
      count += n;
      off += n;
      len -= n;
    }
  }

  private void emit(boolean last) throws IOException {
    out.writePdv(pcId, commandBit | (last ? Pdu.MCH_LAST : 0), buf, 0, count);
    count = 0;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      emit(true);
    }
  }
}
