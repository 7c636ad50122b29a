package io.ponte.dicom.net;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes PDUs to the transport; one P-DATA-TF carries one PDV, never longer than the peer can
 * receive.
 */
final class PduOutput {

  private final OutputStream out;
  private final byte[] header = new byte[Pdu.HEADER_LENGTH + Pdu.PDV_HEADER_LENGTH];

  PduOutput(OutputStream out) {
    this.out = out;
  }

  void write(byte[] pdu) throws IOException {
    out.write(pdu);
    out.flush();
  }

  void writePdv(int pcId, int mch, byte[] data, int off, int len) throws IOException {
    int pduLength = len + Pdu.PDV_HEADER_LENGTH;
    int itemLength = len + 2;
    header[0] = Pdu.P_DATA_TF;
    header[1] = 0;
    putInt(header, 2, pduLength);
    putInt(header, 6, itemLength);
    header[10] = (byte) pcId;
    header[11] = (byte) mch;
    out.write(header);
    out.write(data, off, len);
    out.flush();
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
