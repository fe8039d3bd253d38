/** Embeddable subscription forms, landing pages and double opt-in (coming). */
package io.orbita.forms;
