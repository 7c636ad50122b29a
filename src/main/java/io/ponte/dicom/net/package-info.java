/**
 * The DICOM upper layer and DIMSE (PS3.7, PS3.8): association acceptor and requestor, C-ECHO,
 * C-STORE and their statuses. Imports the JDK, {@code io.ponte.dicom} and {@code io.ponte.text}.
 */
package io.ponte.dicom.net;
