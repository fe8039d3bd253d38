/** One-off mailings to segments, scheduling and A/B tests (coming). */
package io.orbita.campaigns;
