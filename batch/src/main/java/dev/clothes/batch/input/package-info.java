/** What the job scores: a folder tree (Spark's binaryFile listing) or a catalog table as (id, location) rows, and reading one location (Hadoop path or http(s) URL). Imports {@code inference.error}, {@code inference.fetch}. */
package dev.clothes.batch.input;
