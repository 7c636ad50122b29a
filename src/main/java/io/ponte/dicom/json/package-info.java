/**
 * DICOM JSON (PS3.18 F) read and write over the codec model, bulk data as references or inline.
 * Imports the JDK, Jackson core and {@code io.ponte.dicom}.
 */
package io.ponte.dicom.json;
