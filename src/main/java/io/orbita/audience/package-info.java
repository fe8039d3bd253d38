/** Contacts, companies, custom fields, tags, consent history and personal managers. */
package io.orbita.audience;
