/**
 * The object store behind the cache: {@code BlobStore} and its Azure Blob implementation. Imports
 * only the JDK and the Azure SDK.
 */
package io.ponte.node.storage.blob;
