/** One-off mailings to segments and lists: scheduling, sending with skip reasons, A/B tests of subjects, reports. */
package io.orbita.campaigns;
