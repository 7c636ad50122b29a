package io.ponte.dicom.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** TEMPORARY until the codec merges: implicit VR LE command set coding. */
final class CommandCodec {

    private CommandCodec() {
    }

    static byte[] encode(Command c) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        uid(b, 0x00000002, c.affectedSopClassUid);
        us(b, 0x00000100, c.commandField);
        us(b, 0x00000110, c.messageId);
        us(b, 0x00000120, c.messageIdBeingRespondedTo);
        us(b, 0x00000700, c.priority);
        us(b, 0x00000800, c.dataSetType);
        us(b, 0x00000900, c.status);
        str(b, 0x00000902, c.errorComment, ' ');
        uid(b, 0x00001000, c.affectedSopInstanceUid);
        byte[] body = b.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(12 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0).putInt(4).putInt(body.length).put(body);
        return out.array();
    }

    private static void us(ByteArrayOutputStream b, int tag, int v) {
        if (v < 0) {
            return;
        }
        ByteBuffer e = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        e.putShort((short) (tag >>> 16)).putShort((short) tag).putInt(2).putShort((short) v);
        b.write(e.array(), 0, 10);
    }

    private static void uid(ByteArrayOutputStream b, int tag, String v) {
        str(b, tag, v, '\0');
    }

    private static void str(ByteArrayOutputStream b, int tag, String v, char pad) {
        if (v == null) {
            return;
        }
        byte[] s = v.getBytes(StandardCharsets.US_ASCII);
        int len = s.length + (s.length & 1);
        ByteBuffer e = ByteBuffer.allocate(8 + len).order(ByteOrder.LITTLE_ENDIAN);
        e.putShort((short) (tag >>> 16)).putShort((short) tag).putInt(len).put(s);
        if ((s.length & 1) != 0) {
            e.put((byte) pad);
        }
        b.write(e.array(), 0, e.capacity());
    }

    static Command decode(byte[] bytes) throws DicomProtocolException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Command c = new Command();
        c.dataSetType = -1;
        while (b.remaining() >= 8) {
            int tag = (b.getShort() & 0xFFFF) << 16 | (b.getShort() & 0xFFFF);
            int len = b.getInt();
            if (len < 0 || len > b.remaining()) {
                throw new DicomProtocolException(6, "bad command element length");
            }
            byte[] v = new byte[len];
            b.get(v);
            ByteBuffer vb = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
            String s = new String(v, StandardCharsets.US_ASCII).replace("\0", "").trim();
            switch (tag) {
                case 0x00000002: c.affectedSopClassUid = s; break;
                case 0x00000100: c.commandField = vb.getShort() & 0xFFFF; break;
                case 0x00000110: c.messageId = vb.getShort() & 0xFFFF; break;
                case 0x00000120: c.messageIdBeingRespondedTo = vb.getShort() & 0xFFFF; break;
                case 0x00000700: c.priority = vb.getShort() & 0xFFFF; break;
                case 0x00000800: c.dataSetType = vb.getShort() & 0xFFFF; break;
                case 0x00000900: c.status = vb.getShort() & 0xFFFF; break;
                case 0x00000902: c.errorComment = s; break;
                case 0x00001000: c.affectedSopInstanceUid = s; break;
                case 0x00001030: c.moveOriginatorAeTitle = s; break;
                default: break;
            }
        }
        return c;
    }
}
