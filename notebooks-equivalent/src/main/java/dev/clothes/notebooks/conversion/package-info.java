/** Walkthrough 2: the trained bundle converted to every serving variant, compared on size, latency and accuracy. Imports {@code converter.export}, {@code evaluation.dataset}, {@code inference.bundle}, {@code inference.classify}, {@code inference.image}, {@code notebooks.report}. */
package dev.clothes.notebooks.conversion;
