/** The append-only event log and the contact timeline (coming). */
package io.orbita.activity;
