/** Notebook-like reports: an HTML page with embedded pictures, its Markdown twin, picture grids. Imports no other package of the project. */
package dev.clothes.notebooks.report;
