/**
 * The command line ({@code ponte serve|dicom|demo}), parsed before Quarkus boots, and the server
 * application {@code serve} runs. Imports the shared packages (dicom, demo, role); never hub or
 * node.
 */
package io.ponte.cli;
