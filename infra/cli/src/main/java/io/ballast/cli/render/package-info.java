/** What the CLI prints: tables that fit the terminal, JSON and YAML, diffs, progress lines and colour. */
package io.ballast.cli.render;
