/** Opens, clicks, unsubscribe, preference centre and machine-hit filtering for the letters Orbita sends. */
package io.orbita.tracking;
