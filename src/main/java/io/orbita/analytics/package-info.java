/** Email metrics, retention, cohorts, attribution and CLV (coming). */
package io.orbita.analytics;
