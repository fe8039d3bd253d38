/** Rule segments compiled to SQL, static lists and membership (coming). */
package io.orbita.segments;
