/** Liquid templates, layouts, snippets and the template library (coming). */
package io.orbita.content;
