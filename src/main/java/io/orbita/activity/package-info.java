/** The append-only event log (API, website tracker, later mail results) and the contact timeline. */
package io.orbita.activity;
