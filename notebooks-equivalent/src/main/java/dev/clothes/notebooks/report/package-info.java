/** Notebook-like reports: an HTML page with embedded pictures, its Markdown twin, picture grids. Imports nothing of the project. */
package dev.clothes.notebooks.report;
