/**
 * DICOMweb pieces both roles answer with: QIDO-RS matching rules and DICOM JSON elements from index
 * rows. Imports the JDK, Jackson, {@code io.ponte.error} and {@code io.ponte.text}; never hub or
 * node.
 */
package io.ponte.dicomweb;
