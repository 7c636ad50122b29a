/**
 * Demo data: the sample studies {@code ponte demo samples} writes. Imports the JDK and {@code
 * io.ponte.dicom}.
 */
package io.ponte.demo;
