/** Products and their relations, orders, contracts with renewal dates and carts: what retention is measured in. */
package io.orbita.commerce;
