/** Opens, clicks, unsubscribe, preference centre and web versions (coming). */
package io.orbita.tracking;
