/** Lifecycle automation and the nine scenario blueprints (coming). */
package io.orbita.journeys;
