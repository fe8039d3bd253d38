/** Products and their relations, orders, contracts with renewal dates, carts (coming). */
package io.orbita.commerce;
