package io.ponte.cli;

import picocli.CommandLine.Command;

/** {@code ponte dicom ...}: offline DICOM tools built on the {@code dicom} codec. */
@Command(
    name = "dicom",
    mixinStandardHelpOptions = true,
    description = "Offline DICOM tools.",
    subcommands = {DicomDumpCommand.class})
public class DicomCommand {}
