/** Fetching an image URL safely: address policy (public addresses only), limits, redirects by hand, a GET to the checked address. Imports {@code inference.error}. */
package dev.clothes.inference.fetch;
