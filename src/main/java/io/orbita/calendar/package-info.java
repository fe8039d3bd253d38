/** Public and professional holidays, contact and company dates (coming). */
package io.orbita.calendar;
