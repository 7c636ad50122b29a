package io.ponte.dicom.net;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Codes command sets as PS3.7 6.3.1 requires: implicit VR little endian, group 0000 with its group
 * length, through the project's codec. A command that does not parse is a protocol error (the
 * association aborts), since nothing about it, not even the message id to answer, can be trusted.
 */
final class CommandCodec {

  private CommandCodec() {}

  static byte[] encode(Command c) throws IOException {
    Attributes cmd = new Attributes(12);
    if (c.affectedSopClassUid != null) {
      cmd.setString(Tag.AffectedSOPClassUID, VR.UI, c.affectedSopClassUid);
    }
    cmd.setInt(Tag.CommandField, VR.US, c.commandField);
    setUs(cmd, Tag.MessageID, c.messageId);
    setUs(cmd, Tag.MessageIDBeingRespondedTo, c.messageIdBeingRespondedTo);
    setUs(cmd, Tag.Priority, c.priority);
    cmd.setInt(Tag.CommandDataSetType, VR.US, c.dataSetType);
    setUs(cmd, Tag.Status, c.status);
    if (c.errorComment != null && !c.errorComment.isEmpty()) {
      cmd.setString(Tag.ErrorComment, VR.LO, c.errorComment);
    }
    if (c.affectedSopInstanceUid != null) {
      cmd.setString(Tag.AffectedSOPInstanceUID, VR.UI, c.affectedSopInstanceUid);
    }
    if (c.moveOriginatorAeTitle != null) {
      cmd.setString(Tag.MoveOriginatorApplicationEntityTitle, VR.AE, c.moveOriginatorAeTitle);
    }
    setUs(cmd, Tag.MoveOriginatorMessageID, c.moveOriginatorMessageId);
    if (c.moveDestination != null) {
      cmd.setString(Tag.MoveDestination, VR.AE, c.moveDestination);
    }
    setUs(cmd, Tag.NumberOfRemainingSuboperations, c.remainingSuboperations);
    setUs(cmd, Tag.NumberOfCompletedSuboperations, c.completedSuboperations);
    setUs(cmd, Tag.NumberOfFailedSuboperations, c.failedSuboperations);
    setUs(cmd, Tag.NumberOfWarningSuboperations, c.warningSuboperations);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DicomOutputStream out = new DicomOutputStream(bytes)) {
      out.writeDataset(cmd, UID.ImplicitVRLittleEndian);
    }
    return bytes.toByteArray();
  }

  private static void setUs(Attributes cmd, int tag, int value) {
    if (value >= 0) {
      cmd.setInt(tag, VR.US, value);
    }
  }

  static Command decode(byte[] bytes) throws DicomProtocolException {
    Attributes cmd;
    try (DicomInputStream in =
        DicomInputStream.ofDataset(new ByteArrayInputStream(bytes), UID.ImplicitVRLittleEndian)) {
      cmd = in.readDataset();
    } catch (IOException | RuntimeException e) {
      throw new DicomProtocolException(
          DicomProtocolException.REASON_INVALID_PDU_PARAMETER_VALUE,
          "unreadable command set: " + e.getMessage());
    }
    int field = cmd.getInt(Tag.CommandField, -1);
    if (field < 0) {
      throw new DicomProtocolException(
          DicomProtocolException.REASON_INVALID_PDU_PARAMETER_VALUE,
          "command set without Command Field (0000,0100)");
    }
    Command c = new Command();
    c.commandField = field;
    c.messageId = cmd.getInt(Tag.MessageID, -1);
    c.messageIdBeingRespondedTo = cmd.getInt(Tag.MessageIDBeingRespondedTo, -1);
    c.affectedSopClassUid = cmd.getString(Tag.AffectedSOPClassUID);
    c.affectedSopInstanceUid = cmd.getString(Tag.AffectedSOPInstanceUID);
    c.priority = cmd.getInt(Tag.Priority, -1);
    // PS3.7 E.1: any value other than 0101H means a data set follows; absent is malformed, treat as
    // none.
    c.dataSetType = cmd.getInt(Tag.CommandDataSetType, Command.NO_DATA_SET);
    c.status = cmd.getInt(Tag.Status, -1);
    c.errorComment = cmd.getString(Tag.ErrorComment);
    c.moveOriginatorAeTitle = cmd.getString(Tag.MoveOriginatorApplicationEntityTitle);
    c.moveOriginatorMessageId = cmd.getInt(Tag.MoveOriginatorMessageID, -1);
    c.moveDestination = cmd.getString(Tag.MoveDestination);
    if (c.moveDestination != null) {
      c.moveDestination = c.moveDestination.trim();
    }
    c.remainingSuboperations = cmd.getInt(Tag.NumberOfRemainingSuboperations, -1);
    c.completedSuboperations = cmd.getInt(Tag.NumberOfCompletedSuboperations, -1);
    c.failedSuboperations = cmd.getInt(Tag.NumberOfFailedSuboperations, -1);
    c.warningSuboperations = cmd.getInt(Tag.NumberOfWarningSuboperations, -1);
    return c;
  }
}
