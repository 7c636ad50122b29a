/**
 * Images of DICOM instances for people (thumbnails, rendered frames): uncompressed monochrome and
 * RGB pixel data decoded by the project's own codec, windowed, scaled and written with {@code
 * javax.imageio}. Imports only the JDK and {@code io.ponte.dicom}.
 */
package io.ponte.dicom.render;
