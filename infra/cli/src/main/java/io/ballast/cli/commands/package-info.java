/** One class per command or subcommand of {@code ballast}; each one call or a few to the REST API. */
package io.ballast.cli.commands;
