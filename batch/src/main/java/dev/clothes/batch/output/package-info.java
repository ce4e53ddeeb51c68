/** The scored table: its one schema (OOD columns included), its rows, and writing it as Parquet or CSV. Imports {@code batch.input}, {@code inference.bundle}, {@code inference.classify}; never {@code picocli}. */
package dev.clothes.batch.output;
