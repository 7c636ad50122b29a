/**
 * The one executable's entry point ({@code Main}): hands the command line to picocli in {@code
 * cli}. Imports only {@code io.ponte.cli}.
 */
package io.ponte;
