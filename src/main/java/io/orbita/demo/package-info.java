/** Realistic Russian B2B demo and benchmark data, reproducible from a seed, written straight into an empty workspace. */
package io.orbita.demo;
