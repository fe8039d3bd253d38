/** Outbox, SMTP, DKIM, bounces, complaints, suppressions and replies (coming). */
package io.orbita.delivery;
