/** NPS and CSI surveys answered in one click (coming). */
package io.orbita.surveys;
