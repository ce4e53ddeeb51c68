/** What the job scores: a folder tree (Spark's binaryFile listing) or a catalog table as (id, location) rows, and reading one location (Hadoop path or http(s) URL). Imports no job, output or cli code. */
package dev.clothes.batch.input;
