/**
 * The DICOM codec, no framework: tags, VRs, UIDs, the data dictionary, and streaming PS3.10 readers
 * and writers. Imports only the JDK and {@code io.ponte.text}.
 */
package io.ponte.dicom;
