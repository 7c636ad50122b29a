/**
 * The node's index (db/node: study, series, instance): the one owner of its tables, with typed
 * readers for QIDO-RS, WADO-RS and the publisher and the writer ingest and storage use. Imports
 * JDBC/Agroal, io.ponte.dicomweb and io.ponte.text only; never another node package.
 */
package io.ponte.node.index;
