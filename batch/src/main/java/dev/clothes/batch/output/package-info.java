/** The scored table: its one schema (OOD columns included), its rows, and writing it as Parquet or CSV. Imports no job or cli code. */
package dev.clothes.batch.output;
