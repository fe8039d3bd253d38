/** Rule segments compiled to one SQL query, static lists, stored membership with entered/left history. */
package io.orbita.segments;
