/**
 * Small text helpers every role uses: SHA-256 hex, base URLs, ASCII protocol fields. Imports
 * nothing of Ponte's.
 */
package io.ponte.text;
